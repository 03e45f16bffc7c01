import { randomUUID } from 'node:crypto'
import { generateApiKey, generateSharedSecret, type Sealer } from '@gatekeeper/crypto'
import {
  ApiError,
  type ClientCreatedWire,
  type ClientDetailWire,
  type ClientUsageWire,
  type ClientWire,
  type CredentialKind,
  type CredentialWire,
  clientCreateSchema,
  clientUpdateSchema,
  credentialUpdateSchema,
  paginationQuerySchema,
  rotateCredentialSchema,
  unusedForSchema,
  usageQuerySchema,
} from '@gatekeeper/models'
import { and, asc, count, eq, gt, isNull, or, sql } from 'drizzle-orm'
import { type Client, clientCredentials, clientPermissions, clients, rateLimits } from '../schema'
import { type AuditInput, writeAudit, writeAuditMany } from './audit'
import { insertCredentialRows } from './credentials'
import { parseId, parseInput } from './errors'
import { rotateCredential } from './rotate'
import { inTransaction, lockConfigWriters, lockVersioned, reading } from './tx'
import type { Actor, AdminDatabase, AdminTx, Cascaded, Queryable } from './types'
import { readClientUsage } from './usage'
import { applyPage, findClientView, selectClientViews, selectPermissionViews, selectRateLimitViews } from './views'
import { clientCreatedWire, clientWire, credentialWire, permissionWire, rateLimitWire } from './wire'

/** `?limit=&offset=&unused_for=` on the client list. */
const clientListQuerySchema = paginationQuerySchema.extend({ unused_for: unusedForSchema.optional() })

export type ClientRotated = {
  client: ClientWire
  /** The new raw value of the rotated kind: returned here once, never stored or shown again. */
  api_key?: string
  shared_secret?: string
  /** When the previous credential stops working (epoch seconds); null when it was removed at once or there was none. */
  previous_expires_at: number | null
}

export type ClientRemoved = { client: ClientWire; cascaded: Cascaded<'permissions' | 'credentials' | 'rate_limit'> }

export type ClientOps = {
  /**
   * `{limit?, offset?, unused_for?}`; `unused_for` (`90d`, `12h`, seconds): only clients none of whose credentials
   * was accepted within that span, counting a client never used only when it was created before the span began.
   */
  list(query?: unknown): Promise<ClientWire[]>
  /** The client with its live credentials (current, and previous ones still in their grace period). */
  get(id: string): Promise<ClientDetailWire>
  /** `{expires_at?, ip_allowlist?}` for one live credential of the client (null clears). */
  updateCredential(actor: Actor, clientId: string, credentialId: string, body: unknown): Promise<CredentialWire>
  /** `{window?: '24h' | '30d'}`: the client's decision counts per hour / day, zero-filled, oldest first. */
  usage(clientId: string, query?: unknown): Promise<ClientUsageWire>
  /** Generates the requested credentials; the raw values are in this answer only. */
  create(actor: Actor, body: unknown): Promise<ClientCreatedWire>
  /**
   * `{client_name?, status?, expires_at?, api_key_expires_at?, shared_secret_expires_at?, ip_allowlist?, version?}` (412 when
   * the version is stale; an expiry of null clears it).
   */
  update(actor: Actor, id: string, body: unknown): Promise<ClientWire>
  /** `{credential: 'api_key' | 'shared_secret', grace_seconds?}`. */
  rotate(actor: Actor, id: string, body: unknown): Promise<ClientRotated>
  remove(actor: Actor, id: string, opts?: { expectedVersion?: number }): Promise<ClientRemoved>
  /** What remove would cascade, for a confirmation prompt. */
  cascadePreview(id: string): Promise<ClientRemoved['cascaded']>
}

export type ClientDeps = { db: AdminDatabase; sealer: Sealer; now: () => Date }

async function lockClient(tx: AdminTx, id: string): Promise<Client> {
  const [row] = await tx.select().from(clients).where(eq(clients.id, id)).for('no key update')
  if (row === undefined) throw ApiError.notFound('client')
  return row
}

function toDate(epochSeconds: number | null | undefined): Date | null {
  return epochSeconds === null || epochSeconds === undefined ? null : new Date(epochSeconds * 1000)
}

/** Sets or clears the operator expiry of the client's current credential of one kind (404 without one). */
async function setCredentialExpiry(
  tx: AdminTx,
  clientId: string,
  kind: CredentialKind,
  expiresAt: number | null,
): Promise<void> {
  const changed = await tx
    .update(clientCredentials)
    .set({ validUntil: toDate(expiresAt) })
    .where(
      and(
        eq(clientCredentials.clientId, clientId),
        eq(clientCredentials.kind, kind),
        isNull(clientCredentials.expiresAt),
      ),
    )
    .returning({ id: clientCredentials.id })
  if (changed.length === 0) throw ApiError.notFound(kind === 'api_key' ? 'current api_key' : 'current shared_secret')
}

async function clientWireOf(tx: AdminTx, id: string): Promise<ClientWire> {
  const view = await findClientView(tx, id)
  if (view === undefined) throw ApiError.notFound('client')
  return clientWire(view)
}

/** Credentials still working or in their grace period: current first, API keys before secrets, newest first. */
async function liveCredentials(db: Queryable, clientId: string, at: Date): Promise<CredentialWire[]> {
  const rows = await db
    .select()
    .from(clientCredentials)
    .where(
      and(
        eq(clientCredentials.clientId, clientId),
        or(isNull(clientCredentials.expiresAt), gt(clientCredentials.expiresAt, at)),
      ),
    )
    .orderBy(
      sql`${clientCredentials.expiresAt} is not null`,
      asc(clientCredentials.kind),
      sql`${clientCredentials.createdAt} desc`,
      asc(clientCredentials.id),
    )
  return rows.map(credentialWire)
}

/** No credential accepted since `cutoff` (live ones, or ones a rotation deleted), and created before it. */
function unusedSince(cutoff: Date) {
  return sql`${clients.createdAt} < ${cutoff}
    and (${clients.retiredLastUsedAt} is null or ${clients.retiredLastUsedAt} < ${cutoff}) and not exists (
    select 1 from ${clientCredentials}
    where ${clientCredentials.clientId} = ${clients.id} and ${clientCredentials.lastUsedAt} >= ${cutoff})`
}

export function clientOps({ db, sealer, now }: ClientDeps): ClientOps {
  return {
    list: (query) =>
      reading(async () => {
        const input = parseInput(clientListQuerySchema, query ?? {})
        const where =
          input.unused_for === undefined ? undefined : unusedSince(new Date(now().getTime() - input.unused_for * 1000))
        const rows = await applyPage(selectClientViews(db, where), input)
        return rows.map(clientWire)
      }),

    get: (id) =>
      reading(async () => {
        const clientId = parseId(id, 'client')
        const view = await findClientView(db, clientId)
        if (view === undefined) throw ApiError.notFound('client')
        return { ...clientWire(view), credentials: await liveCredentials(db, clientId, now()) }
      }),

    updateCredential: async (actor, id, credentialId, body) => {
      const clientId = parseId(id, 'client')
      const credId = parseId(credentialId, 'credential')
      const input = parseInput(credentialUpdateSchema, body)
      return inTransaction(db, async (tx) => {
        await lockConfigWriters(tx)
        await lockClient(tx, clientId)
        const live = or(isNull(clientCredentials.expiresAt), gt(clientCredentials.expiresAt, now()))
        const ofClient = and(eq(clientCredentials.id, credId), eq(clientCredentials.clientId, clientId), live)
        const [before] = await tx.select().from(clientCredentials).where(ofClient).for('update')
        if (before === undefined) throw ApiError.notFound('credential')
        const [after] = await tx
          .update(clientCredentials)
          .set({
            ...(input.expires_at !== undefined ? { validUntil: toDate(input.expires_at) } : {}),
            ...(input.ip_allowlist !== undefined ? { ipAllowlist: input.ip_allowlist } : {}),
          })
          .where(eq(clientCredentials.id, credId))
          .returning()
        if (after === undefined) throw ApiError.notFound('credential')
        // The client's wire shows its current credentials' expiries: its version moves with them.
        await tx
          .update(clients)
          .set({ version: sql`${clients.version} + 1` })
          .where(eq(clients.id, clientId))
        const wire = credentialWire(after)
        await writeAudit(tx, actor, {
          action: 'client.update_credential',
          entityType: 'client',
          entityId: clientId,
          before: credentialWire(before),
          after: wire,
        })
        return wire
      })
    },

    usage: (id, query) =>
      reading(async () => {
        const clientId = parseId(id, 'client')
        const input = parseInput(usageQuerySchema, query ?? {})
        const [found] = await db.select({ id: clients.id }).from(clients).where(eq(clients.id, clientId))
        if (found === undefined) throw ApiError.notFound('client')
        return readClientUsage(db, clientId, input.window, now())
      }),

    create: async (actor, body) => {
      const input = parseInput(clientCreateSchema, body)
      // The id is chosen here so the secret can be sealed with it as aad before the insert.
      const clientId = randomUUID()
      const apiKey = input.api_key ? generateApiKey() : undefined
      const sharedSecret = input.shared_secret ? generateSharedSecret() : undefined
      return inTransaction(db, async (tx) => {
        await lockConfigWriters(tx)
        await tx.insert(clients).values({
          id: clientId,
          clientName: input.client_name,
          status: input.status,
          expiresAt: toDate(input.expires_at),
          ipAllowlist: input.ip_allowlist ?? null,
          metadata: input.metadata ?? null,
        })
        await insertCredentialRows(tx, sealer, clientId, {
          apiKey,
          sharedSecret,
          legacy: false,
          validUntil: toDate(input.credentials_expire_at),
        })
        const client = await clientWireOf(tx, clientId)
        await writeAudit(tx, actor, {
          action: 'client.create',
          entityType: 'client',
          entityId: clientId,
          after: client,
        })
        return clientCreatedWire(client, { apiKey, sharedSecret })
      })
    },

    update: async (actor, id, body) => {
      const clientId = parseId(id, 'client')
      const input = parseInput(clientUpdateSchema, body)
      return inTransaction(db, async (tx) => {
        const current = await lockVersioned(tx, (t) => lockClient(t, clientId), input.version)
        const before = await clientWireOf(tx, clientId)
        const updated = await tx
          .update(clients)
          .set({
            ...(input.client_name !== undefined ? { clientName: input.client_name } : {}),
            ...(input.status !== undefined ? { status: input.status } : {}),
            ...(input.expires_at !== undefined ? { expiresAt: toDate(input.expires_at) } : {}),
            ...(input.ip_allowlist !== undefined ? { ipAllowlist: input.ip_allowlist } : {}),
            ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
            version: sql`${clients.version} + 1`,
          })
          .where(and(eq(clients.id, clientId), eq(clients.version, current.version)))
          .returning({ id: clients.id })
        if (updated.length === 0) throw ApiError.preconditionFailed()
        if (input.api_key_expires_at !== undefined) {
          await setCredentialExpiry(tx, clientId, 'api_key', input.api_key_expires_at)
        }
        if (input.shared_secret_expires_at !== undefined) {
          await setCredentialExpiry(tx, clientId, 'shared_secret', input.shared_secret_expires_at)
        }
        const after = await clientWireOf(tx, clientId)
        await writeAudit(tx, actor, {
          action: 'client.update',
          entityType: 'client',
          entityId: clientId,
          before,
          after,
        })
        return after
      })
    },

    rotate: async (actor, id, body) => {
      const clientId = parseId(id, 'client')
      const input = parseInput(rotateCredentialSchema, body)
      return inTransaction(db, async (tx) => {
        await lockConfigWriters(tx)
        await lockClient(tx, clientId)
        const before = await clientWireOf(tx, clientId)
        const rotated = await rotateCredential(tx, sealer, clientId, input, now())
        // The client's wire changed (masked key, has_shared_secret): bump version and updated_at.
        const retired = rotated.retiredLastUsedAt
        await tx
          .update(clients)
          .set({
            version: sql`${clients.version} + 1`,
            ...(retired === null
              ? {}
              : {
                  retiredLastUsedAt: sql`greatest(${clients.retiredLastUsedAt}, ${retired.toISOString()}::timestamptz)`,
                }),
          })
          .where(eq(clients.id, clientId))
        const client = await clientWireOf(tx, clientId)
        await writeAudit(tx, actor, {
          action: input.credential === 'api_key' ? 'client.rotate_api_key' : 'client.rotate_shared_secret',
          entityType: 'client',
          entityId: clientId,
          before,
          after: client,
        })
        return {
          client,
          ...(input.credential === 'api_key' ? { api_key: rotated.raw } : { shared_secret: rotated.raw }),
          previous_expires_at: rotated.previousExpiresAt,
        }
      })
    },

    remove: async (actor, id, opts = {}) => {
      const clientId = parseId(id, 'client')
      return inTransaction(db, async (tx) => {
        await lockVersioned(tx, (t) => lockClient(t, clientId), opts.expectedVersion)
        const client = await clientWireOf(tx, clientId)
        const permissions = (await selectPermissionViews(tx, eq(clientPermissions.clientId, clientId))).map(
          permissionWire,
        )
        const limits = (await selectRateLimitViews(tx, eq(rateLimits.clientId, clientId))).map(rateLimitWire)
        const [credentials] = await tx
          .select({ n: count() })
          .from(clientCredentials)
          .where(eq(clientCredentials.clientId, clientId))
        await tx.delete(clients).where(eq(clients.id, clientId))
        const cascaded: AuditInput[] = [
          ...permissions.map(
            (permission): AuditInput => ({
              action: 'permission.revoke',
              entityType: 'permission',
              entityId: permission.permission_id,
              before: permission,
            }),
          ),
          ...limits.map(
            (limit): AuditInput => ({
              action: 'rate_limit.clear',
              entityType: 'rate_limit',
              entityId: limit.client_id,
              before: limit,
            }),
          ),
        ]
        // Cascades first, so a newest-first audit list shows the delete above what it took with it.
        await writeAuditMany(tx, actor, cascaded)
        await writeAudit(tx, actor, {
          action: 'client.delete',
          entityType: 'client',
          entityId: clientId,
          before: client,
        })
        return {
          client,
          cascaded: { permissions: permissions.length, credentials: credentials?.n ?? 0, rate_limit: limits.length },
        }
      })
    },

    cascadePreview: (id) =>
      reading(async () => {
        const clientId = parseId(id, 'client')
        const [client] = await db.select({ id: clients.id }).from(clients).where(eq(clients.id, clientId))
        if (client === undefined) throw ApiError.notFound('client')
        const [permissions, credentials, limits] = await Promise.all([
          db.select({ n: count() }).from(clientPermissions).where(eq(clientPermissions.clientId, clientId)),
          db.select({ n: count() }).from(clientCredentials).where(eq(clientCredentials.clientId, clientId)),
          db.select({ n: count() }).from(rateLimits).where(eq(rateLimits.clientId, clientId)),
        ])
        return {
          permissions: permissions[0]?.n ?? 0,
          credentials: credentials[0]?.n ?? 0,
          rate_limit: limits[0]?.n ?? 0,
        }
      }),
  }
}
