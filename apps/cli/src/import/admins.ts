import { consoleAdminWire } from '@gatekeeper/db/admin'
import { consoleAdmins } from '@gatekeeper/db/schema'
import { emailSchema } from '@gatekeeper/models'
import { and, eq, ne } from 'drizzle-orm'
import type { OriginalAdmin } from './original'
import { dateOf, type ImportRun, skip, tally } from './run'

/** Console admins are matched by email (the original's ids are not ours); an unbound Aegis id is filled in. */
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
        .where(and(eq(consoleAdmins.aegisUserId, a.aegisUserId), ne(consoleAdmins.email, email.data)))
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
        .values({ email: email.data, aegisUserId: a.aegisUserId, source: 'cli', createdAt: dateOf(a.createdAt) })
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
    if (a.aegisUserId === null || current.aegisUserId === a.aegisUserId) {
      tally(run, 'console_admins', 'unchanged')
      continue
    }
    if (current.aegisUserId !== null) {
      skip(
        run,
        'console_admins',
        email.data,
        `bound to Aegis user ${current.aegisUserId} here, ${a.aegisUserId} in the original; left as is`,
      )
      continue
    }
    tally(run, 'console_admins', 'updated')
    if (run.tx === null) continue
    const [row] = await run.tx
      .update(consoleAdmins)
      .set({ aegisUserId: a.aegisUserId })
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
