import type { ConfigDocument } from '@gatekeeper/models'
import { canonicalDocument, compareText, permissionKey, routeKey } from './canonical'

export const CONFIG_ENTITY_KINDS = ['route', 'client', 'permission', 'rate_limit', 'console_admin'] as const
export type ConfigEntityKind = (typeof CONFIG_ENTITY_KINDS)[number]

/** One field that differs; `undefined` means absent on that side (a method added or removed). */
export type FieldChange = { field: string; from: unknown; to: unknown }

export type PlanChange = {
  action: 'create' | 'update' | 'delete'
  kind: ConfigEntityKind
  /** The entity's name in the file: `domain route_pattern`, a client name, `client → domain route_pattern`, an email. */
  key: string
  fields: FieldChange[]
}

export type PlanOptions = {
  /** Delete live entities the file does not name. Without it they are left alone and listed as unmanaged. */
  prune: boolean
}

export type ConfigPlan = {
  prune: boolean
  /** In an order apply can follow: creates and updates parents first, deletes children first. */
  changes: PlanChange[]
  /** Live entities the file does not name, kept because prune is off (empty with prune). */
  unmanaged: Array<{ kind: ConfigEntityKind; key: string }>
  /** Remarks that are not changes (credentials listed in the file that are no longer current). */
  notes: string[]
}

/** `createOnly`: shown when the entity is created, never compared (what a new client gets generated). */
type Entity = { key: string; value: Record<string, unknown>; createOnly?: Record<string, unknown> }

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Leaf by leaf for nested objects (route methods), whole values for arrays and scalars. */
export function diffFields(from: unknown, to: unknown, prefix = ''): FieldChange[] {
  if (isPlainObject(from) && isPlainObject(to)) {
    const keys = [...Object.keys(from), ...Object.keys(to).filter((k) => !(k in from))]
    return keys.flatMap((k) => diffFields(from[k], to[k], prefix === '' ? k : `${prefix}.${k}`))
  }
  if (JSON.stringify(from) === JSON.stringify(to)) return []
  return [{ field: prefix, from, to }]
}

/** What the plan compares for each kind: the key, and the fields that belong to the entity. */
function entities(doc: ConfigDocument): Record<ConfigEntityKind, Entity[]> {
  return {
    route: doc.routes.map((r) => ({
      key: routeKey(r),
      // Optional fields only when set: a create lists no nulls, and a removal still shows as `x → (none)`.
      value: {
        service_name: r.service_name,
        methods: r.methods,
        ...(r.metadata_header != null ? { metadata_header: r.metadata_header } : {}),
      },
    })),
    // Credentials are not compared: a file never carries secrets, so what the live client has is kept.
    client: doc.clients.map((c) => ({
      key: c.client_name,
      // Optional fields only when set: a change to or from "none" shows as (none).
      value: {
        status: c.status,
        ...(c.expires_at != null ? { expires_at: c.expires_at } : {}),
        ...(c.ip_allowlist != null ? { ip_allowlist: c.ip_allowlist } : {}),
        ...(c.metadata != null ? { metadata: c.metadata } : {}),
      },
      createOnly: { credentials: [...new Set(c.credentials.map((cred) => cred.kind))] },
    })),
    permission: doc.permissions.map((p) => ({ key: permissionKey(p), value: { allowed_methods: p.allowed_methods } })),
    rate_limit: doc.rate_limits.map((r) => ({
      key: r.client_name,
      value: { requests_per_minute: r.requests_per_minute ?? null, requests_per_day: r.requests_per_day ?? null },
    })),
    console_admin: doc.console_admins.map((a) => ({ key: a.email, value: {} })),
  }
}

function credentialNotes(live: ConfigDocument, desired: ConfigDocument): string[] {
  const liveClients = new Map(live.clients.map((c) => [c.client_name, c]))
  const notes: string[] = []
  for (const client of desired.clients) {
    const current = liveClients.get(client.client_name)
    if (current === undefined) continue
    const liveIds = new Set(current.credentials.map((c) => c.id))
    for (const cred of client.credentials) {
      if (cred.id !== undefined && !liveIds.has(cred.id)) {
        notes.push(
          `client ${client.client_name}: ${cred.kind} ${cred.id} is not a current credential (rotated or removed since the file was written); the live credentials are kept`,
        )
      }
    }
  }
  return notes
}

/**
 * The changes that turn `live` into `desired`, both documents keyed by names. Pure: the same two
 * documents always give the same plan, so diff, apply and the admin API agree on what will happen.
 */
export function planConfig(liveDoc: ConfigDocument, desiredDoc: ConfigDocument, options: PlanOptions): ConfigPlan {
  const live = entities(canonicalDocument(liveDoc))
  const desired = entities(canonicalDocument(desiredDoc))
  const upserts: PlanChange[] = []
  const deletes: PlanChange[] = []
  const unmanaged: ConfigPlan['unmanaged'] = []

  for (const kind of CONFIG_ENTITY_KINDS) {
    const liveByKey = new Map(live[kind].map((e) => [e.key, e]))
    const desiredKeys = new Set(desired[kind].map((e) => e.key))
    for (const entity of desired[kind]) {
      const current = liveByKey.get(entity.key)
      if (current === undefined) {
        upserts.push({
          action: 'create',
          kind,
          key: entity.key,
          fields: diffFields({}, { ...entity.value, ...entity.createOnly }),
        })
        continue
      }
      const fields = diffFields(current.value, entity.value)
      if (fields.length > 0) upserts.push({ action: 'update', kind, key: entity.key, fields })
    }
    for (const entity of live[kind]) {
      if (desiredKeys.has(entity.key)) continue
      if (options.prune) {
        deletes.push({ action: 'delete', kind, key: entity.key, fields: diffFields(entity.value, {}) })
      } else unmanaged.push({ kind, key: entity.key })
    }
  }
  // Children before parents: a permission goes before the route and client it joins.
  const rank = (kind: ConfigEntityKind) => CONFIG_ENTITY_KINDS.indexOf(kind)
  deletes.sort((a, b) => rank(b.kind) - rank(a.kind) || compareText(a.key, b.key))
  return {
    prune: options.prune,
    changes: [...upserts, ...deletes],
    unmanaged,
    notes: credentialNotes(canonicalDocument(liveDoc), canonicalDocument(desiredDoc)),
  }
}

export function planCounts(plan: ConfigPlan): { create: number; update: number; delete: number } {
  const count = (action: PlanChange['action']) => plan.changes.filter((c) => c.action === action).length
  return { create: count('create'), update: count('update'), delete: count('delete') }
}
