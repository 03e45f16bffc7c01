import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createMemoryAdmissionStore } from './memory-store'
import type { WindowShapes } from './policies'

// Short windows so a few dozen random requests cross several windows: 1 s / 10 buckets and 5 s / 10 buckets.
const WINDOWS: WindowShapes = { minute: { windowMs: 1000, buckets: 10 }, day: { windowMs: 5000, buckets: 10 } }
const T0 = 1_700_000_000_000

const scenario = fc.record({
  perMinute: fc.option(fc.integer({ min: 0, max: 8 }), { nil: null }),
  perDay: fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }),
  gaps: fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 120 }),
})

function admittedIn(times: number[], from: number, to: number): number {
  return times.filter((t) => t >= from && t <= to).length
}

describe('bucketed sliding window (property)', () => {
  it('never admits more than the limit in any closed interval of one window length, and refuses only when the counted buckets are full', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ perMinute, perDay, gaps }) => {
        let now = T0
        const store = createMemoryAdmissionStore({ sweepIntervalMs: 0, windows: WINDOWS, clock: () => now })
        const limits = { perMinute, perDay }
        const admitted: number[] = []
        for (const gap of gaps) {
          now += gap
          const r = await store.admit({ clientId: 'c', limits, now })
          if (r.outcome === 'allowed') {
            admitted.push(now)
            continue
          }
          // Refused: some policy already had `limit` admits in the buckets it counts (at most one bucket older
          // than its window), so refusals are never more conservative than one bucket.
          expect(r.outcome).toBe('rate_limited')
          const full = (limit: number | null, windowMs: number, bucketMs: number) =>
            limit !== null &&
            admittedIn(admitted, (Math.floor(now / bucketMs) - windowMs / bucketMs) * bucketMs, now) >= limit
          expect(full(perMinute, 1000, 100) || full(perDay, 5000, 500)).toBe(true)
        }
        for (const a of admitted) {
          if (perMinute !== null) expect(admittedIn(admitted, a, a + 1000)).toBeLessThanOrEqual(perMinute)
          if (perDay !== null) expect(admittedIn(admitted, a, a + 5000)).toBeLessThanOrEqual(perDay)
        }
        // usage() counts what admit() counts: every admit in the buckets the window covers now.
        const usage = await store.usage('c', limits)
        const counted = (windowMs: number, bucketMs: number) =>
          admittedIn(admitted, (Math.floor(now / bucketMs) - windowMs / bucketMs) * bucketMs, now)
        expect(usage.usedMinute).toBe(perMinute === null ? 0 : counted(1000, 100))
        expect(usage.usedDay).toBe(perDay === null ? 0 : counted(5000, 500))
      }),
      { numRuns: 300 },
    )
  })
})
