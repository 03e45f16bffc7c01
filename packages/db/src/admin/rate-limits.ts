import { ApiError, type RateLimitWire, rateLimitSetSchema } from '@gatekeeper/models'
import { eq, sql } from 'drizzle-orm'
import { clients, rateLimits } from '../schema'
import { writeAudit } from './audit'
import { parseId, parseInput } from './errors'
import { inTransaction, lockConfigWriters, reading } from './tx'
import type { Actor, AdminDatabase, AdminTx, Queryable } from './types'
import { applyPage, parsePage, selectRateLimitViews } from './views'
import { rateLimitWire } from './wire'

export type RateLimitOps = {
  list(page?: unknown): Promise<RateLimitWire[]>
  /** 404 `client` for an unknown client, 404 `rate_limit` for a client without limits. */
  get(clientId: string): Promise<RateLimitWire>
  /**
   * `{requests_per_day?, requests_per_minute?}`: a number sets that window, null makes it unlimited,
   * an omitted window keeps its current value (unlimited when the client had no row). At least one
   * window ends up limited (the schema's rule); removing every limit is clear().
   */
  set(actor: Actor, clientId: string, body: unknown): Promise<RateLimitWire>
  clear(actor: Actor, clientId: string): Promise<RateLimitWire>
}

async function findLimit(db: Queryable, clientId: string): Promise<RateLimitWire | undefined> {
  const [row] = await selectRateLimitViews(db, eq(rateLimits.clientId, clientId))
  return row === undefined ? undefined : rateLimitWire(row)
}

async function requireClient(db: Queryable, clientId: string, lock: boolean): Promise<void> {
  const query = db.select({ id: clients.id }).from(clients).where(eq(clients.id, clientId))
  const [row] = lock ? await query.for('no key update') : await query
  if (row === undefined) throw ApiError.notFound('client')
}

async function lockedLimit(tx: AdminTx, clientId: string): Promise<RateLimitWire | undefined> {
  await tx.select({ id: rateLimits.clientId }).from(rateLimits).where(eq(rateLimits.clientId, clientId)).for('update')
  return findLimit(tx, clientId)
}

export function rateLimitOps(db: AdminDatabase): RateLimitOps {
  return {
    list: (page) =>
      reading(async () => {
        const rows = await applyPage(selectRateLimitViews(db, undefined), parsePage(page))
        return rows.map(rateLimitWire)
      }),

    get: (clientId) =>
      reading(async () => {
        const id = parseId(clientId, 'client')
        const limit = await findLimit(db, id)
        if (limit !== undefined) return limit
        await requireClient(db, id, false)
        throw ApiError.notFound('rate_limit')
      }),

    set: async (actor, clientId, body) => {
      const id = parseId(clientId, 'client')
      const input = parseInput(rateLimitSetSchema, body)
      return inTransaction(db, async (tx) => {
        await lockConfigWriters(tx)
        await requireClient(tx, id, true)
        const before = await lockedLimit(tx, id)
        const values = {
          requestsPerDay:
            input.requests_per_day !== undefined ? input.requests_per_day : (before?.requests_per_day ?? null),
          requestsPerMinute:
            input.requests_per_minute !== undefined ? input.requests_per_minute : (before?.requests_per_minute ?? null),
        }
        await tx
          .insert(rateLimits)
          .values({ clientId: id, ...values })
          .onConflictDoUpdate({ target: rateLimits.clientId, set: { ...values, updatedAt: sql`now()` } })
        const after = await findLimit(tx, id)
        if (after === undefined) throw ApiError.internal()
        await writeAudit(tx, actor, { action: 'rate_limit.set', entityType: 'rate_limit', entityId: id, before, after })
        return after
      })
    },

    clear: async (actor, clientId) => {
      const id = parseId(clientId, 'client')
      return inTransaction(db, async (tx) => {
        await lockConfigWriters(tx)
        await requireClient(tx, id, true)
        const before = await lockedLimit(tx, id)
        if (before === undefined) throw ApiError.notFound('rate_limit')
        await tx.delete(rateLimits).where(eq(rateLimits.clientId, id))
        await writeAudit(tx, actor, { action: 'rate_limit.clear', entityType: 'rate_limit', entityId: id, before })
        return before
      })
    },
  }
}
