import { sql } from 'drizzle-orm'
import { bigint, check, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/**
 * Per-client decision counts per hour, written by authz replicas as additive upserts (each adds what it counted
 * since its last flush), so the rows hold the sum over every replica. `outcome` is `allowed`, `rate_limited` or
 * `refused`; `reason` names the refusal (`''` otherwise). Not a watched table: writes here never reach the
 * change feed. No foreign key: a flush must not fail because a client was deleted meanwhile; rows of deleted
 * clients go with the periodic prune.
 */
export const clientUsage = pgTable(
  'client_usage',
  {
    clientId: uuid('client_id').notNull(),
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    outcome: text('outcome').$type<'allowed' | 'refused' | 'rate_limited'>().notNull(),
    reason: text('reason').notNull().default(''),
    n: bigint('n', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'client_usage_pkey', columns: [t.clientId, t.hour, t.outcome, t.reason] }),
    index('client_usage_hour_idx').on(t.hour),
    check('client_usage_outcome_check', sql`${t.outcome} IN ('allowed', 'refused', 'rate_limited')`),
    check('client_usage_hour_check', sql`floor(extract(epoch from ${t.hour}))::bigint % 3600 = 0`),
    check('client_usage_n_check', sql`${t.n} >= 0`),
  ],
)

export type ClientUsageRow = typeof clientUsage.$inferSelect
