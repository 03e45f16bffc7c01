import type { ClientStatus } from '@gatekeeper/models'
import { relations, sql } from 'drizzle-orm'
import { check, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { clientCredentials } from './client-credentials'
import { clientPermissions } from './client-permissions'
import { timestamps } from './columns'
import { rateLimits } from './rate-limits'

export const clients = pgTable(
  'clients',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clientName: text('client_name').notNull(),
    status: text('status').$type<ClientStatus>().notNull().default('active'),
    /** Bumped by every write from the admin API; a PUT carrying a stale version is refused. */
    version: integer('version').notNull().default(1),
    /** Past this moment /authz refuses every credential of the client (`client_expired`); null: never. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /**
     * The client IPs / CIDRs (IPv4 and IPv6) every credential of the client is accepted from; outside them /authz
     * refuses with `ip_not_allowed`. null: any IP. Kept on the client, not on a credential row, so a rotation
     * cannot lose it.
     */
    ipAllowlist: text('ip_allowlist').array(),
    /**
     * A small JSON object the operator attaches to the client (at most 50 keys, 4 KiB serialized: checked by
     * the admin operations), forwarded upstream as a header on routes that name one (`routes.metadata_header`).
     */
    metadata: jsonb('metadata').$type<Record<string, unknown>>(),
    /**
     * The latest use of a credential a rotation deleted (no grace, or its grace over): the client's last use
     * is the later of this and its live credentials' own, so a rotation does not make a busy client look unused.
     * Written only inside a rotation (an admin write): authz never reads it.
     */
    retiredLastUsedAt: timestamp('retired_last_used_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    check('clients_client_name_check', sql`btrim(${t.clientName}) <> ''`),
    check('clients_status_check', sql`${t.status} IN ('active', 'suspended', 'revoked')`),
    check('clients_version_check', sql`${t.version} > 0`),
    check('clients_metadata_check', sql`jsonb_typeof(${t.metadata}) = 'object'`),
  ],
)

export const clientsRelations = relations(clients, ({ many, one }) => ({
  credentials: many(clientCredentials),
  permissions: many(clientPermissions),
  rateLimit: one(rateLimits),
}))

export type Client = typeof clients.$inferSelect
export type NewClient = typeof clients.$inferInsert
