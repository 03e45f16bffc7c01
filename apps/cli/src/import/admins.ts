import { consoleAdminWire } from '@gatekeeper/db/admin'
import { consoleAdmins } from '@gatekeeper/db/schema'
import { emailSchema } from '@gatekeeper/models'
import { and, eq, ne } from 'drizzle-orm'
import type { OriginalAdmin } from './original'
import { dateOf, type ImportRun, skip, tally } from './run'

/**
 * Console admins are matched by email (the original's row ids are not ours). The original provisioned them from
 * `user.verified` webhooks, so the Aegis id it kept is the webhook's `user_id` (a numeric id, not the `/me`
 * uuid a sign-in presents): it becomes `aegis_webhook_user_id`, which a later `user.deleted` is matched by.
 * The sign-in binding is left pending, so the admin's first sign-in with that verified email binds it as for
 * any admin added by email; taking the webhook id as the binding would refuse every sign-in of that admin.
 */
export async function importAdmins(run: ImportRun, rows: ReadonlyArray<OriginalAdmin>): Promise<void> {
  for (const a of rows) {
    const email = emailSchema.safeParse(a.email)
    if (!email.success) {
      skip(run, 'console_admins', a.email || '(no email)', 'not an email address')
      continue
    }
    const [current] = await run.q.select().from(consoleAdmins).where(eq(consoleAdmins.email, email.data))
    if (a.aegisUserId !== null) {
      const [clash] = await run.q
        .select({ email: consoleAdmins.email })
        .from(consoleAdmins)
        .where(and(eq(consoleAdmins.aegisWebhookUserId, a.aegisUserId), ne(consoleAdmins.email, email.data)))
      if (clash !== undefined) {
        skip(run, 'console_admins', email.data, `its Aegis user id already belongs to admin ${clash.email} here`)
        continue
      }
    }
    if (current === undefined) {
      tally(run, 'console_admins', 'created')
      if (run.tx === null) continue
      const [row] = await run.tx
        .insert(consoleAdmins)
        .values({ email: email.data, aegisWebhookUserId: a.aegisUserId, source: 'cli', createdAt: dateOf(a.createdAt) })
        .returning()
      if (row)
        await run.writeAudit({
          action: 'console_admin.import',
          entityType: 'console_admin',
          entityId: row.id,
          after: consoleAdminWire(row),
        })
      continue
    }
    if (a.aegisUserId === null || current.aegisWebhookUserId === a.aegisUserId) {
      tally(run, 'console_admins', 'unchanged')
      continue
    }
    if (current.aegisWebhookUserId !== null) {
      skip(
        run,
        'console_admins',
        email.data,
        `named by Aegis user ${current.aegisWebhookUserId} here, ${a.aegisUserId} in the original; left as is`,
      )
      continue
    }
    tally(run, 'console_admins', 'updated')
    if (run.tx === null) continue
    const [row] = await run.tx
      .update(consoleAdmins)
      .set({ aegisWebhookUserId: a.aegisUserId })
      .where(eq(consoleAdmins.id, current.id))
      .returning()
    if (row) {
      await run.writeAudit({
        action: 'console_admin.import_update',
        entityType: 'console_admin',
        entityId: row.id,
        before: consoleAdminWire(current),
        after: consoleAdminWire(row),
      })
    }
  }
}
