import type { RouteMethods } from '@gatekeeper/models'
import { relations, sql } from 'drizzle-orm'
import { check, integer, jsonb, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core'
import { clientPermissions } from './client-permissions'
import { httpMethodsArraySql, timestamps } from './columns'

export const routes = pgTable(
  'routes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    routePattern: text('route_pattern').notNull(),
    domain: text('domain').notNull(),
    serviceName: text('service_name').notNull(),
    /** Stored as the wire format has it: `{GET: {auth_required, auth_type}, ...}`. */
    methods: jsonb('methods').$type<RouteMethods>().notNull(),
    /** Bumped by every write from the admin API; a PUT carrying a stale version is refused. */
    version: integer('version').notNull().default(1),
    /**
     * On an allow for this route, authz sends the client's metadata (compact JSON) in a response header of this
     * name for nginx to pass upstream; null: not sent.
     */
    metadataHeader: text('metadata_header'),
    ...timestamps,
  },
  (t) => [
    unique('routes_domain_route_pattern_key').on(t.domain, t.routePattern),
    // Exact path, or a prefix ending in '/*'; '*' nowhere else. A path only: no whitespace, control
    // characters, query or fragment (the finer rules are routePatternProblem() in @gatekeeper/models).
    check(
      'routes_route_pattern_check',
      sql`(${t.routePattern} ~ '^/[^*]*$' OR ${t.routePattern} ~ '^/([^*]*/)?[*]$') AND ${t.routePattern} !~ '[[:space:][:cntrl:]?#]' AND char_length(${t.routePattern}) <= 1024`,
    ),
    // '*', '*.<domain>' or a host name; lowercase, no whitespace, no port.
    check(
      'routes_domain_check',
      sql`${t.domain} = lower(${t.domain}) AND char_length(${t.domain}) <= 253 AND ${t.domain} ~ '^([*]|([*][.])?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?([.][a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*)$'`,
    ),
    check('routes_service_name_check', sql`btrim(${t.serviceName}) <> ''`),
    // A non-empty object whose keys are all known methods ('-' removes every listed key; nothing may remain).
    // The shape of each method's rule is checked by gatekeeper_valid_route_methods() (custom migration).
    check(
      'routes_methods_check',
      sql`jsonb_typeof(${t.methods}) = 'object' AND ${t.methods} <> '{}'::jsonb AND (${t.methods} - ${httpMethodsArraySql}) = '{}'::jsonb`,
    ),
    check('routes_version_check', sql`${t.version} > 0`),
    check('routes_metadata_header_check', sql`${t.metadataHeader} ~ '^[Xx]-[A-Za-z0-9-]{1,62}$'`),
  ],
)

export const routesRelations = relations(routes, ({ many }) => ({
  permissions: many(clientPermissions),
}))

export type Route = typeof routes.$inferSelect
export type NewRoute = typeof routes.$inferInsert
