import type { HttpMethod } from '@gatekeeper/models'
import { relations, sql } from 'drizzle-orm'
import { check, index, integer, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core'
import { clients } from './clients'
import { httpMethodsArraySql, timestamps } from './columns'
import { owningClientId } from './owning-client'
import { routes } from './routes'

/** A grant: this client may call this route with these methods. */
export const clientPermissions = pgTable(
  'client_permissions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clientId: owningClientId().notNull(),
    routeId: uuid('route_id')
      .notNull()
      .references(() => routes.id, { onDelete: 'cascade' }),
    allowedMethods: text('allowed_methods').array().$type<HttpMethod[]>().notNull(),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    unique('client_permissions_client_id_route_id_key').on(t.clientId, t.routeId),
    index('client_permissions_route_id_idx').on(t.routeId),
    // Non-empty, one-dimensional, and every element a known method (a NULL element is never contained).
    check(
      'client_permissions_allowed_methods_check',
      sql`cardinality(${t.allowedMethods}) > 0 AND array_ndims(${t.allowedMethods}) = 1 AND ${t.allowedMethods} <@ ${httpMethodsArraySql}`,
    ),
    check('client_permissions_version_check', sql`${t.version} > 0`),
  ],
)

export const clientPermissionsRelations = relations(clientPermissions, ({ one }) => ({
  client: one(clients, { fields: [clientPermissions.clientId], references: [clients.id] }),
  route: one(routes, { fields: [clientPermissions.routeId], references: [routes.id] }),
}))

export type ClientPermission = typeof clientPermissions.$inferSelect
export type NewClientPermission = typeof clientPermissions.$inferInsert
