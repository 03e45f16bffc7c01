import type { ConsoleAdminSource } from '@gatekeeper/models'
import { sql } from 'drizzle-orm'
import { check, pgTable, text, uuid } from 'drizzle-orm/pg-core'
import { createdAt } from './columns'

/** Aegis users allowed into the console. `aegis_user_id` is null until the user first signs in. */
export const consoleAdmins = pgTable(
  'console_admins',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    aegisUserId: text('aegis_user_id').unique('console_admins_aegis_user_id_key'),
    email: text('email').notNull().unique('console_admins_email_key'),
    /** How the admin was provisioned. */
    source: text('source').$type<ConsoleAdminSource>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check(
      'console_admins_email_check',
      sql`${t.email} = lower(${t.email}) AND ${t.email} ~ '^[^@[:space:]]+@[^@[:space:]]+$'`,
    ),
    check('console_admins_aegis_user_id_check', sql`btrim(${t.aegisUserId}) <> ''`),
    check('console_admins_source_check', sql`${t.source} IN ('webhook', 'api', 'cli')`),
  ],
)

export type ConsoleAdmin = typeof consoleAdmins.$inferSelect
export type NewConsoleAdmin = typeof consoleAdmins.$inferInsert
