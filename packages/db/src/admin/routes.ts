import { ApiError, type RouteWire, routeCreateSchema, routeUpdateSchema } from '@gatekeeper/models'
import { and, asc, count, eq, sql } from 'drizzle-orm'
import { clientPermissions, type Route, routes } from '../schema'
import { type AuditInput, auditReturnedRow, writeAudit, writeAuditMany } from './audit'
import { parseId, parseInput } from './errors'
import { inTransaction, lockConfigWriters, lockVersioned, reading } from './tx'
import type { Actor, AdminDatabase, AdminTx, Cascaded } from './types'
import { applyPage, parsePage, selectPermissionViews } from './views'
import { permissionWire, routeWire } from './wire'

export type RouteRemoved = { route: RouteWire; cascaded: Cascaded<'permissions'> }

export type RouteOps = {
  /** All routes by created_at, id; `page` is `{limit?, offset?}` (query-string values accepted). */
  list(page?: unknown): Promise<RouteWire[]>
  get(id: string): Promise<RouteWire>
  create(actor: Actor, body: unknown): Promise<RouteWire>
  /** Any of the create fields, plus an optional `version` (412 when stale). */
  update(actor: Actor, id: string, body: unknown): Promise<RouteWire>
  /** Deletes the route and (by cascade) its permissions, each audited. */
  remove(actor: Actor, id: string, opts?: { expectedVersion?: number }): Promise<RouteRemoved>
  /** What remove would cascade, for a confirmation prompt. */
  cascadePreview(id: string): Promise<Cascaded<'permissions'>>
}

async function lockRoute(tx: AdminTx, id: string): Promise<Route> {
  const [row] = await tx.select().from(routes).where(eq(routes.id, id)).for('no key update')
  if (row === undefined) throw ApiError.notFound('route')
  return row
}

export function routeOps(db: AdminDatabase): RouteOps {
  return {
    list: (page) =>
      reading(async () => {
        const query = db.select().from(routes).orderBy(asc(routes.createdAt), asc(routes.id)).$dynamic()
        const rows = await applyPage(query, parsePage(page))
        return rows.map(routeWire)
      }),

    get: (id) =>
      reading(async () => {
        const [row] = await db
          .select()
          .from(routes)
          .where(eq(routes.id, parseId(id, 'route')))
        if (row === undefined) throw ApiError.notFound('route')
        return routeWire(row)
      }),

    create: async (actor, body) => {
      const input = parseInput(routeCreateSchema, body)
      return inTransaction(db, async (tx) => {
        await lockConfigWriters(tx)
        const [row] = await tx
          .insert(routes)
          .values({
            routePattern: input.route_pattern,
            domain: input.domain,
            serviceName: input.service_name,
            methods: input.methods,
            metadataHeader: input.metadata_header ?? null,
          })
          .returning()
        return auditReturnedRow(tx, actor, row, {
          action: 'route.create',
          toWire: routeWire,
          missing: () => ApiError.internal(),
        })
      })
    },

    update: async (actor, id, body) => {
      const routeId = parseId(id, 'route')
      const input = parseInput(routeUpdateSchema, body)
      return inTransaction(db, async (tx) => {
        const current = await lockVersioned(tx, (t) => lockRoute(t, routeId), input.version)
        const [row] = await tx
          .update(routes)
          .set({
            ...(input.route_pattern !== undefined ? { routePattern: input.route_pattern } : {}),
            ...(input.domain !== undefined ? { domain: input.domain } : {}),
            ...(input.service_name !== undefined ? { serviceName: input.service_name } : {}),
            ...(input.methods !== undefined ? { methods: input.methods } : {}),
            ...(input.metadata_header !== undefined ? { metadataHeader: input.metadata_header } : {}),
            version: sql`${routes.version} + 1`,
          })
          // The version read under the lock: a writer that skipped the lock still cannot slip in between.
          .where(and(eq(routes.id, routeId), eq(routes.version, current.version)))
          .returning()
        return auditReturnedRow(tx, actor, row, {
          action: 'route.update',
          toWire: routeWire,
          missing: () => ApiError.preconditionFailed(),
          before: routeWire(current),
        })
      })
    },

    remove: async (actor, id, opts = {}) => {
      const routeId = parseId(id, 'route')
      return inTransaction(db, async (tx) => {
        const current = await lockVersioned(tx, (t) => lockRoute(t, routeId), opts.expectedVersion)
        const permissions = (await selectPermissionViews(tx, eq(clientPermissions.routeId, routeId))).map(
          permissionWire,
        )
        await tx.delete(routes).where(eq(routes.id, routeId))
        const route = routeWire(current)
        const cascaded: AuditInput[] = permissions.map((permission) => ({
          action: 'permission.revoke',
          entityType: 'permission',
          entityId: permission.permission_id,
          before: permission,
        }))
        // Cascades first, so a newest-first audit list shows the delete above what it took with it.
        await writeAuditMany(tx, actor, cascaded)
        await writeAudit(tx, actor, { action: 'route.delete', entityType: 'route', entityId: routeId, before: route })
        return { route, cascaded: { permissions: permissions.length } }
      })
    },

    cascadePreview: (id) =>
      reading(async () => {
        const routeId = parseId(id, 'route')
        const [route] = await db.select({ id: routes.id }).from(routes).where(eq(routes.id, routeId))
        if (route === undefined) throw ApiError.notFound('route')
        const [counted] = await db
          .select({ n: count() })
          .from(clientPermissions)
          .where(eq(clientPermissions.routeId, routeId))
        return { permissions: counted?.n ?? 0 }
      }),
  }
}
