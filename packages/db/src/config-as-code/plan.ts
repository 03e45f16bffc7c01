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
    // Own keys only: metadata may use any key, and `constructor` or `toString` would otherwise be found on
    // Object.prototype, so adding one would plan no change and the file would never be applied.
    const own = (o: Record<string, unknown>, k: string) => (Object.hasOwn(o, k) ? o[k] : undefined)
    const keys = [...Object.keys(from), ...Object.keys(to).filter((k) => !Object.hasOwn(from, k))]
    return keys.flatMap((k) => diffFields(own(from, k), own(to, k), prefix === '' ? k : `${prefix}.${k}`))
  }
  if (JSON.stringify(from) === JSON.stringify(to)) return []
  return [{ field: prefix, from, to }]
}

type Lifecycle = { expires_at?: number | null | undefined; ip_allowlist?: string[] | null | undefined }

/** A credential's lifecycle fields, only those set (a change to or from "none" shows as (none)). */
function lifecycleValue(c: Lifecycle): Record<string, unknown> {
  return {
    ...(c.expires_at != null ? { expires_at: c.expires_at } : {}),
    ...(c.ip_allowlist != null ? { ip_allowlist: c.ip_allowlist } : {}),
  }
}

function credentialMatchKey(clientName: string, cred: { kind: string; id?: string | undefined }): string {
  return `${clientName} ${cred.kind} ${cred.id}`
}

/** The credentials the file lists by the id (and kind) a live credential of the same client has. */
function matchedCredentials(live: ConfigDocument, desired: ConfigDocument): Set<string> {
  const liveKeys = new Set(
    live.clients.flatMap((c) => c.credentials.map((cred) => credentialMatchKey(c.client_name, cred))),
  )
  const matched = new Set<string>()
  for (const c of desired.clients) {
    for (const cred of c.credentials) {
      const key = credentialMatchKey(c.client_name, cred)
      if (cred.id !== undefined && liveKeys.has(key)) matched.add(key)
    }
  }
  return matched
}

/**
 * What the plan compares for each kind: the key, and the fields that belong to the entity. A client's
 * credentials are compared only where `matched` holds them (listed by a live id): their lifecycle, as
 * `credentials.<kind>.<field>` (a client has one current credential per kind).
 */
function entities(doc: ConfigDocument, matched: ReadonlySet<string>): Record<ConfigEntityKind, Entity[]> {
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
    // Credentials themselves are not compared: a file never carries secrets, so what the live client has
    // is kept; only the lifecycle of those listed by a live id is.
    client: doc.clients.map((c) => {
      const lifecycles = c.credentials
        .filter((cred) => matched.has(credentialMatchKey(c.client_name, cred)))
        .map((cred) => [cred.kind, lifecycleValue(cred)] as const)
      return {
        key: c.client_name,
        // Optional fields only when set: a change to or from "none" shows as (none).
        value: {
          status: c.status,
          ...lifecycleValue(c),
          ...(c.metadata != null ? { metadata: c.metadata } : {}),
          ...(lifecycles.length > 0 ? { credentials: Object.fromEntries(lifecycles) } : {}),
        },
        // A new client's credentials: their kinds, and the lifecycle each is created with.
        createOnly: {
          credentials: [...new Set(c.credentials.map((cred) => cred.kind))],
          ...Object.fromEntries(
            c.credentials.flatMap((cred) =>
              Object.entries(lifecycleValue(cred)).map(([field, value]) => [
                `credentials.${cred.kind}.${field}`,
                value,
              ]),
            ),
          ),
        },
      }
    }),
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
      } else if (cred.id === undefined && Object.keys(lifecycleValue(cred)).length > 0) {
        notes.push(
          `client ${client.client_name}: the ${cred.kind} without an id has expires_at/ip_allowlist, but the client exists; only a credential listed by its id is updated`,
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
  const liveCanonical = canonicalDocument(liveDoc)
  const desiredCanonical = canonicalDocument(desiredDoc)
  const matched = matchedCredentials(liveCanonical, desiredCanonical)
  const live = entities(liveCanonical, matched)
  const desired = entities(desiredCanonical, matched)
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
    notes: credentialNotes(liveCanonical, desiredCanonical),
  }
}

export function planCounts(plan: ConfigPlan): { create: number; update: number; delete: number } {
  const count = (action: PlanChange['action']) => plan.changes.filter((c) => c.action === action).length
  return { create: count('create'), update: count('update'), delete: count('delete') }
}
