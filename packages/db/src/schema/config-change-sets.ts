import { bigint, index, integer, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core'
import { actorColumns } from './columns'

/**
 * One row per configuration file applied (`gatekeeper apply`, `POST /api/admin/config/apply`): who,
 * when, how many creates/updates/deletes and the config version it committed as. Its audit entries
 * carry the same id in admin_audit_log.request_id.
 */
export const configChangeSets = pgTable(
  'config_change_sets',
  {
    id: uuid('id').primaryKey(),
    appliedAt: timestamp('applied_at', { withTimezone: true }).notNull().defaultNow(),
    ...actorColumns(),
    creates: integer('creates').notNull(),
    updates: integer('updates').notNull(),
    deletes: integer('deletes').notNull(),
    /** The config version the apply committed as; null when it changed only console admins (no version). */
    configVersion: bigint('config_version', { mode: 'number' }),
  },
  (t) => [index('config_change_sets_applied_at_idx').on(t.appliedAt, t.id)],
)

export type ConfigChangeSet = typeof configChangeSets.$inferSelect
