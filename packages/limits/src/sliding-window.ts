import type { ResolvedPolicy } from './policies'

/**
 * Bucketed sliding window, the TypeScript twin of the Lua in admit-script.ts (the memory store uses this one).
 *
 * A policy's window of W ms is split into K buckets of B = W / K ms; bucket index = floor(t / B). At time `now`
 * (current bucket c) the window (now - W, now] touches buckets c-K .. c; the oldest, c-K, only partly. Counting that
 * partial bucket IN FULL means the sum is never less than the true number of admits in (now - W, now], so admitting
 * only while sum < limit can never let more than `limit` requests into any interval of length W. The price: a request
 * is forgotten up to one bucket (W/K) late, never early. Requests age out one bucket at a time, so there is no reset
 * cliff at which a whole window's quota returns at once.
 */
export type Buckets = Map<number, number>

/** Index of the oldest bucket the window at `now` still counts. */
function firstBucket(now: number, p: ResolvedPolicy): number {
  return Math.floor(now / p.bucketMs) - p.windowMs / p.bucketMs
}

export function currentBucket(now: number, p: ResolvedPolicy): number {
  return Math.floor(now / p.bucketMs)
}

/** Sum of the buckets the window at `now` counts. Does not modify `buckets`. */
export function windowSum(buckets: Buckets, now: number, p: ResolvedPolicy): number {
  const first = firstBucket(now, p)
  let sum = 0
  for (const [idx, n] of buckets) if (idx >= first) sum += n
  return sum
}

/** Drops buckets no window at or after `now` will count again. */
export function pruneBuckets(buckets: Buckets, now: number, p: ResolvedPolicy): void {
  const first = firstBucket(now, p)
  for (const idx of buckets.keys()) if (idx < first) buckets.delete(idx)
}

/**
 * Milliseconds from `now` until the counted sum falls low enough that one more request fits (sum < limit), or, when
 * one already fits, until the next bucket ages out and `remaining` grows. Bucket j stops being counted at
 * (j + K + 1) * B. `sum` is the counted sum at `now` (after this request, when it was admitted).
 */
export function resetMs(buckets: Buckets, now: number, p: ResolvedPolicy, sum: number): number {
  const k = p.windowMs / p.bucketMs
  const first = firstBucket(now, p)
  const current = currentBucket(now, p)
  const need = Math.max(1, sum - p.limit + 1)
  let dropped = 0
  for (let j = first; j <= current; j++) {
    dropped += buckets.get(j) ?? 0
    if (dropped >= need) return (j + k + 1) * p.bucketMs - now
  }
  // Nothing counted yet, or a limit of 0: no bucket ageing out will ever make room.
  return p.windowMs
}
