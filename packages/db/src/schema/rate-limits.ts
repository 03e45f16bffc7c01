import { relations, sql } from 'drizzle-orm'
import { check, integer, pgTable } from 'drizzle-orm/pg-core'
import { clients } from './clients'
import { timestamps } from './columns'
import { owningClientId } from './owning-client'

/** At most one row per client; a client without a row is not rate limited. */
export const rateLimits = pgTable(
  'rate_limits',
  {
    clientId: owningClientId().primaryKey(),
    requestsPerDay: integer('requests_per_day'),
    requestsPerMinute: integer('requests_per_minute'),
    ...timestamps,
  },
  (t) => [
    check('rate_limits_requests_per_day_check', sql`${t.requestsPerDay} > 0`),
    check('rate_limits_requests_per_minute_check', sql`${t.requestsPerMinute} > 0`),
    check('rate_limits_some_limit_check', sql`${t.requestsPerDay} IS NOT NULL OR ${t.requestsPerMinute} IS NOT NULL`),
  ],
)

export const rateLimitsRelations = relations(rateLimits, ({ one }) => ({
  client: one(clients, { fields: [rateLimits.clientId], references: [clients.id] }),
}))

export type RateLimit = typeof rateLimits.$inferSelect
export type NewRateLimit = typeof rateLimits.$inferInsert
