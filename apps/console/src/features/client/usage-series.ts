import type { ClientUsage, UsageWindow } from '../../api/lifecycle'

export type UsagePoint = { start: number; allowed: number; refused: number; rateLimited: number; total: number }

export type UsageSeries = {
  bucketSeconds: number
  /** One point per bucket of the window, oldest first, empty buckets as zeros. */
  points: ReadonlyArray<UsagePoint>
  /** The top of the y axis: the largest stacked bar rounded up to 1, 2 or 5 × 10ⁿ (1 for an idle client). */
  ceiling: number
  totals: { allowed: number; refused: number; rateLimited: number }
  /** Refusals in the window by reason, most frequent first. */
  reasons: ReadonlyArray<{ reason: string; count: number }>
}

const WINDOW_SECONDS: Record<UsageWindow, number> = { '24h': 24 * 3600, '30d': 30 * 86_400 }

/** The smallest 1, 2 or 5 × 10ⁿ at or above `value` (a readable axis top). */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1
  const magnitude = 10 ** Math.floor(Math.log10(value))
  for (const step of [1, 2, 5, 10]) {
    if (step * magnitude >= value) return step * magnitude
  }
  return 10 * magnitude
}

/**
 * Lays the server's buckets on a dense grid covering the window: one slot per bucket (24 hours or 30 days)
 * ending with the bucket that holds `nowSeconds` (or the newest bucket the server sent, if its clock is ahead),
 * so hours without traffic show as gaps rather than being skipped. Buckets that fall in the same slot add up;
 * buckets older than the window are left out. The totals are the server's.
 */
export function usageSeries(usage: ClientUsage, window: UsageWindow, nowSeconds: number): UsageSeries {
  const size = usage.bucket_seconds
  const count = Math.max(1, Math.round(WINDOW_SECONDS[window] / size))
  const align = (t: number) => Math.floor(t / size) * size
  const newest = usage.buckets.reduce((latest, bucket) => Math.max(latest, align(bucket.start)), align(nowSeconds))
  const first = newest - (count - 1) * size
  const points: Array<UsagePoint> = Array.from({ length: count }, (_, index) => ({
    start: first + index * size,
    allowed: 0,
    refused: 0,
    rateLimited: 0,
    total: 0,
  }))
  const reasons = new Map<string, number>()
  for (const bucket of usage.buckets) {
    const point = points[Math.floor((bucket.start - first) / size)]
    if (bucket.start < first || point === undefined) continue
    point.allowed += bucket.allowed
    point.refused += bucket.refused
    point.rateLimited += bucket.rate_limited
    point.total += bucket.allowed + bucket.refused + bucket.rate_limited
    for (const [reason, n] of Object.entries(bucket.refused_by_reason ?? {})) {
      reasons.set(reason, (reasons.get(reason) ?? 0) + n)
    }
  }
  return {
    bucketSeconds: size,
    points,
    ceiling: niceCeiling(Math.max(0, ...points.map((point) => point.total))),
    totals: {
      allowed: usage.totals.allowed,
      refused: usage.totals.refused,
      rateLimited: usage.totals.rate_limited,
    },
    reasons: [...reasons]
      .map(([reason, n]) => ({ reason, count: n }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
  }
}
