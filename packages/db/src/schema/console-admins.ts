import type { ConsoleAdminSource } from '@gatekeeper/models'
import { sql } from 'drizzle-orm'
import { check, pgTable, text, uuid } from 'drizzle-orm/pg-core'
import { createdAt } from './columns'

/**
 * Aegis users allowed into the console, provisioned by email. `aegis_user_id` is the binding: the `/me`
 * uuid of the verified user of our Aegis site who first signed in with that email (null until then;
 * once set, only that uuid matches). `aegis_webhook_user_id` is the `user_id` Aegis's webhooks name the
 * user by (not necessarily the `/me` uuid): kept for matching a later `user.deleted`, never used to sign in.
 */
export const consoleAdmins = pgTable(
  'console_admins',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    aegisUserId: text('aegis_user_id').unique('console_admins_aegis_user_id_key'),
    aegisWebhookUserId: text('aegis_webhook_user_id'),
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
    check('console_admins_aegis_webhook_user_id_check', sql`btrim(${t.aegisWebhookUserId}) <> ''`),
    check('console_admins_source_check', sql`${t.source} IN ('webhook', 'api', 'cli')`),
  ],
)

export type ConsoleAdmin = typeof consoleAdmins.$inferSelect
export type NewConsoleAdmin = typeof consoleAdmins.$inferInsert
