import { rateLimitWire } from '@gatekeeper/db/admin'
import { rateLimits } from '@gatekeeper/db/schema'
import { idSchema, MAX_REQUESTS_PER_DAY } from '@gatekeeper/models'
import { eq } from 'drizzle-orm'
import type { OriginalRateLimit } from './original'
import { dateOf, type ImportRun, skip, tally } from './run'

/**
 * The original had one window, requests per day. A per-minute limit set here is kept: only the daily
 * figure is compared and imported.
 */
export async function importRateLimits(run: ImportRun, rows: ReadonlyArray<OriginalRateLimit>): Promise<void> {
  for (const l of rows) {
    const id = idSchema.safeParse(l.clientId)
    const clientId = id.success ? id.data : l.clientId
    if (!id.success || !run.clients.has(clientId)) {
      skip(run, 'rate_limits', clientId, 'its client was not imported')
      continue
    }
    if (!Number.isSafeInteger(l.perDay) || l.perDay < 1 || l.perDay > MAX_REQUESTS_PER_DAY) {
      skip(
        run,
        'rate_limits',
        clientId,
        `requests_per_day must be a whole number between 1 and ${MAX_REQUESTS_PER_DAY}`,
      )
      continue
    }
    const clientName = run.clients.get(clientId) ?? ''
    const [current] = await run.q.select().from(rateLimits).where(eq(rateLimits.clientId, clientId))
    if (current !== undefined && current.requestsPerDay === l.perDay) {
      tally(run, 'rate_limits', 'unchanged')
      continue
    }
    tally(run, 'rate_limits', current === undefined ? 'created' : 'updated')
    if (run.tx === null) continue
    if (current === undefined) {
      const [row] = await run.tx
        .insert(rateLimits)
        .values({ clientId, requestsPerDay: l.perDay, createdAt: dateOf(l.createdAt), updatedAt: dateOf(l.updatedAt) })
        .returning()
      if (row)
        await run.writeAudit({
          action: 'rate_limit.import',
          entityType: 'rate_limit',
          entityId: clientId,
          after: rateLimitWire({ ...row, clientName }),
        })
      continue
    }
    const [row] = await run.tx
      .update(rateLimits)
      .set({ requestsPerDay: l.perDay })
      .where(eq(rateLimits.clientId, clientId))
      .returning()
    if (row) {
      await run.writeAudit({
        action: 'rate_limit.import_update',
        entityType: 'rate_limit',
        entityId: clientId,
        before: rateLimitWire({ ...current, clientName }),
        after: rateLimitWire({ ...row, clientName }),
      })
    }
  }
}
