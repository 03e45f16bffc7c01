import type { ClientUsageWire, UsageWindow } from '@gatekeeper/models'
import { and, eq, gte, sql } from 'drizzle-orm'
import { clientUsage } from '../schema'
import type { Queryable } from './types'

const WINDOWS: Record<UsageWindow, { bucket: 3600 | 86_400; count: number }> = {
  '24h': { bucket: 3600, count: 24 },
  '30d': { bucket: 86_400, count: 30 },
}

type Bucket = ClientUsageWire['buckets'][number]

/**
 * The client's counts in `window`: hourly (24 buckets, the current hour last) or daily in UTC (30 buckets, today
 * last), every bucket present (zeros where nothing was counted), oldest first. What authz replicas have not
 * flushed yet (up to one flush interval) is not in it.
 */
export async function readClientUsage(
  db: Queryable,
  clientId: string,
  window: UsageWindow,
  now: Date,
): Promise<ClientUsageWire> {
  const { bucket, count } = WINDOWS[window]
  const last = Math.floor(now.getTime() / 1000 / bucket) * bucket
  const first = last - (count - 1) * bucket
  // The bucket size inline (one of two constants), so the select and GROUP BY expressions are the same text.
  const size = sql.raw(String(bucket))
  const start = sql<number>`(floor(extract(epoch from ${clientUsage.hour}) / ${size})::bigint * ${size})`
  const rows = await db
    .select({
      start: start.mapWith(Number),
      outcome: clientUsage.outcome,
      reason: clientUsage.reason,
      n: sql<number>`sum(${clientUsage.n})::bigint`.mapWith(Number),
    })
    .from(clientUsage)
    .where(and(eq(clientUsage.clientId, clientId), gte(clientUsage.hour, new Date(first * 1000))))
    .groupBy(start, clientUsage.outcome, clientUsage.reason)

  const buckets: Bucket[] = []
  for (let i = 0; i < count; i++) {
    buckets.push({ start: first + i * bucket, allowed: 0, refused: 0, rate_limited: 0, refused_by_reason: {} })
  }
  const totals = { allowed: 0, refused: 0, rate_limited: 0 }
  for (const row of rows) {
    const b = buckets[(row.start - first) / bucket]
    if (b === undefined) continue // a clock ahead of ours: outside the window
    b[row.outcome] += row.n
    totals[row.outcome] += row.n
    if (row.outcome === 'refused') {
      const reason = row.reason === '' ? 'unknown' : row.reason
      b.refused_by_reason[reason] = (b.refused_by_reason[reason] ?? 0) + row.n
    }
  }
  return { client_id: clientId, window, bucket_seconds: bucket, buckets, totals }
}
