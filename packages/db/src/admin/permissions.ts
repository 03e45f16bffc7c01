import {
  ApiError,
  type HttpMethod,
  paginationQuerySchema,
  permissionGrantSchema,
  permissionListQuerySchema,
} from '@gatekeeper/models'
import { and, eq, type SQL, sql } from 'drizzle-orm'
import { type ClientPermission, clientPermissions } from '../schema'
import { writeAudit } from './audit'
import { parseId, parseInput } from './errors'
import { inTransaction, lockConfigWriters, reading } from './tx'
import type { Actor, AdminDatabase, AdminTx, Queryable } from './types'
import { applyPage, findPermissionView, selectPermissionViews, versionMatches } from './views'
import { type PermissionWireWithVersion, permissionWire } from './wire'

export type PermissionGranted = { created: boolean; permission: PermissionWireWithVersion }

export type PermissionOps = {
  /** `{client_id?, route_id?, limit?, offset?}` (query-string values accepted; '' = no filter). */
  list(query?: unknown): Promise<PermissionWireWithVersion[]>
  get(id: string): Promise<PermissionWireWithVersion>
  /** `{client_id, route_id, allowed_methods}`: creates the grant, or replaces the methods of the existing one. */
  grant(actor: Actor, body: unknown): Promise<PermissionGranted>
  revoke(actor: Actor, id: string, opts?: { expectedVersion?: number }): Promise<PermissionWireWithVersion>
  revokePair(actor: Actor, clientId: string, routeId: string): Promise<PermissionWireWithVersion>
}

const listQuerySchema = permissionListQuerySchema.extend(paginationQuerySchema.shape)

function sameMethods(a: ReadonlyArray<HttpMethod>, b: ReadonlyArray<HttpMethod>): boolean {
  const set = new Set(a)
  return set.size === new Set(b).size && b.every((method) => set.has(method))
}

/** The permission as the API shows it, or the 404 of a missing one. */
async function viewOf(db: Queryable, id: string): Promise<PermissionWireWithVersion> {
  const view = await findPermissionView(db, id)
  if (view === undefined) throw ApiError.notFound('permission')
  return permissionWire(view)
}

async function lockPermission(tx: AdminTx, where: SQL | undefined): Promise<ClientPermission | undefined> {
  const [row] = await tx.select().from(clientPermissions).where(where).for('no key update')
  return row
}

async function revokeLocked(
  tx: AdminTx,
  actor: Actor,
  row: ClientPermission,
  expectedVersion: number | undefined,
): Promise<PermissionWireWithVersion> {
  if (!versionMatches(row.version, expectedVersion)) throw ApiError.preconditionFailed()
  const before = await viewOf(tx, row.id)
  await tx.delete(clientPermissions).where(eq(clientPermissions.id, row.id))
  await writeAudit(tx, actor, { action: 'permission.revoke', entityType: 'permission', entityId: row.id, before })
  return before
}

// A grant that finds its pair gone between the insert and the lock (revoked concurrently) tries again.
const GRANT_ATTEMPTS = 3

export function permissionOps(db: AdminDatabase): PermissionOps {
  return {
    list: (query) =>
      reading(async () => {
        const q = parseInput(listQuerySchema, query ?? {})
        const where = and(
          q.client_id !== undefined ? eq(clientPermissions.clientId, q.client_id) : undefined,
          q.route_id !== undefined ? eq(clientPermissions.routeId, q.route_id) : undefined,
        )
        const rows = await applyPage(selectPermissionViews(db, where), q)
        return rows.map(permissionWire)
      }),

    get: (id) => reading(() => viewOf(db, parseId(id, 'permission'))),

    grant: async (actor, body) => {
      const input = parseInput(permissionGrantSchema, body)
      return inTransaction(db, async (tx) => {
        await lockConfigWriters(tx)
        const pair = and(eq(clientPermissions.clientId, input.client_id), eq(clientPermissions.routeId, input.route_id))
        for (let attempt = 0; attempt < GRANT_ATTEMPTS; attempt++) {
          // ON CONFLICT: a concurrent grant of the same pair makes this one an update instead of a failure.
          // With a version the caller means to replace the grant it read: never create one.
          const [inserted] =
            input.version !== undefined
              ? []
              : await tx
                  .insert(clientPermissions)
                  .values({ clientId: input.client_id, routeId: input.route_id, allowedMethods: input.allowed_methods })
                  .onConflictDoNothing({ target: [clientPermissions.clientId, clientPermissions.routeId] })
                  .returning()
          if (inserted !== undefined) {
            const permission = await viewOf(tx, inserted.id)
            await writeAudit(tx, actor, {
              action: 'permission.grant',
              entityType: 'permission',
              entityId: inserted.id,
              after: permission,
            })
            return { created: true, permission }
          }
          const existing = await lockPermission(tx, pair)
          if (existing === undefined) {
            if (input.version !== undefined) throw ApiError.preconditionFailed()
            continue
          }
          if (!versionMatches(existing.version, input.version)) throw ApiError.preconditionFailed()
          const before = await viewOf(tx, existing.id)
          // Granting what is already granted changes nothing, so it writes (and audits) nothing.
          if (sameMethods(existing.allowedMethods, input.allowed_methods)) return { created: false, permission: before }
          await tx
            .update(clientPermissions)
            .set({ allowedMethods: input.allowed_methods, version: sql`${clientPermissions.version} + 1` })
            .where(eq(clientPermissions.id, existing.id))
          const after = await viewOf(tx, existing.id)
          await writeAudit(tx, actor, {
            action: 'permission.update',
            entityType: 'permission',
            entityId: existing.id,
            before,
            after,
          })
          return { created: false, permission: after }
        }
        throw ApiError.conflict('the permission changed concurrently; retry')
      })
    },

    revoke: async (actor, id, opts = {}) => {
      const permissionId = parseId(id, 'permission')
      return inTransaction(db, async (tx) => {
        await lockConfigWriters(tx)
        const row = await lockPermission(tx, eq(clientPermissions.id, permissionId))
        if (row === undefined) throw ApiError.notFound('permission')
        return revokeLocked(tx, actor, row, opts.expectedVersion)
      })
    },

    revokePair: async (actor, clientId, routeId) => {
      const pair = and(
        eq(clientPermissions.clientId, parseId(clientId, 'permission')),
        eq(clientPermissions.routeId, parseId(routeId, 'permission')),
      )
      return inTransaction(db, async (tx) => {
        await lockConfigWriters(tx)
        const row = await lockPermission(tx, pair)
        if (row === undefined) throw ApiError.notFound('permission')
        return revokeLocked(tx, actor, row, undefined)
      })
    },
  }
}
