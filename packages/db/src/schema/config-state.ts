import { sql } from 'drizzle-orm'
import { bigint, check, pgTable, smallint, timestamp } from 'drizzle-orm/pg-core'

/**
 * The single row (id = 1, seeded by the config_notify migration) whose version the triggers bump on
 * every change to the watched tables. A reader compares it with the version its snapshot was taken at.
 */
export const configState = pgTable(
  'config_state',
  {
    id: smallint('id').primaryKey().default(1),
    version: bigint('version', { mode: 'number' }).notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('config_state_single_row_check', sql`${t.id} = 1`)],
)

export type ConfigState = typeof configState.$inferSelect
