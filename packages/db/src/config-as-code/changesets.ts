import {
  ApiError,
  type ConfigChangeSetDetail,
  type ConfigChangeSetList,
  configChangeSetEntriesQuerySchema,
  configChangeSetQuerySchema,
} from '@gatekeeper/models'
import { asc, count, desc, eq, sql } from 'drizzle-orm'
import { parseInput } from '../admin/errors'
import type { Queryable } from '../admin/types'
import { auditEntryWire, epochSeconds } from '../admin/wire'
import { adminAuditLog, configChangeSets } from '../schema'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * The applied configuration files, newest first. `cursor` is the last id of the previous page (the
 * answer's next_cursor): keyset paging, so a page never repeats or skips one when new applies land.
 */
export async function listChangeSets(db: Queryable, query: unknown): Promise<ConfigChangeSetList> {
  const q = parseInput(configChangeSetQuerySchema, query ?? {})
  let after: { appliedAt: Date; id: string } | undefined
  if (q.cursor !== undefined) {
    const [row] = UUID.test(q.cursor)
      ? await db
          .select({ appliedAt: configChangeSets.appliedAt, id: configChangeSets.id })
          .from(configChangeSets)
          .where(eq(configChangeSets.id, q.cursor.toLowerCase()))
      : []
    if (row === undefined) throw ApiError.badRequest('unknown cursor (pass next_cursor from the previous page)')
    after = row
  }
  const rows = await db
    .select()
    .from(configChangeSets)
    .where(
      after === undefined
        ? undefined
        : sql`(${configChangeSets.appliedAt}, ${configChangeSets.id}) < (${after.appliedAt}, ${after.id})`,
    )
    .orderBy(desc(configChangeSets.appliedAt), desc(configChangeSets.id))
    .limit(q.limit + 1)
  const page = rows.slice(0, q.limit)
  return {
    changesets: page.map((row) => ({
      id: row.id,
      applied_at: epochSeconds(row.appliedAt),
      actor: row.actor,
      creates: row.creates,
      updates: row.updates,
      deletes: row.deletes,
      config_version: row.configVersion,
    })),
    next_cursor: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null,
  }
}

/** One change set and its audit entries (in the order the apply wrote them; `limit`/`offset` page a large one). */
export async function getChangeSet(db: Queryable, id: string, query: unknown = {}): Promise<ConfigChangeSetDetail> {
  const q = parseInput(configChangeSetEntriesQuerySchema, query ?? {})
  const notFound = ApiError.notFound('change set')
  if (!UUID.test(id)) throw notFound
  const [row] = await db.select().from(configChangeSets).where(eq(configChangeSets.id, id.toLowerCase()))
  if (row === undefined) throw notFound
  const entries = await db
    .select()
    .from(adminAuditLog)
    .where(eq(adminAuditLog.requestId, row.id))
    .orderBy(asc(adminAuditLog.id))
    .limit(q.limit)
    .offset(q.offset)
  const [total] = await db.select({ n: count() }).from(adminAuditLog).where(eq(adminAuditLog.requestId, row.id))
  return {
    id: row.id,
    applied_at: epochSeconds(row.appliedAt),
    actor: row.actor,
    entries: entries.map(auditEntryWire),
    entries_total: total?.n ?? entries.length,
  }
}
