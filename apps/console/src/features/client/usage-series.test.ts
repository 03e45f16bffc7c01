import { describe, expect, it } from 'vitest'
import type { ClientUsage } from '../../api/lifecycle'
import { niceCeiling, usageSeries } from './usage-series'

const HOUR = 3600
const DAY = 86_400
// 2026-12-04 18:30:00 UTC: inside the hour that starts at 18:00.
const NOW = 1_796_409_000
const THIS_HOUR = Math.floor(NOW / HOUR) * HOUR

function usage(overrides: Partial<ClientUsage>): ClientUsage {
  return {
    client_id: 'c',
    window: '24h',
    bucket_seconds: HOUR,
    buckets: [],
    totals: { allowed: 0, refused: 0, rate_limited: 0 },
    ...overrides,
  }
}

describe('usageSeries', () => {
  it('gives 24 hourly slots ending with the current hour, filling hours without traffic with zeros', () => {
    const series = usageSeries(
      usage({
        buckets: [
          { start: THIS_HOUR - 2 * HOUR, allowed: 40, refused: 3, rate_limited: 7 },
          { start: THIS_HOUR, allowed: 5, refused: 0, rate_limited: 0 },
        ],
        totals: { allowed: 45, refused: 3, rate_limited: 7 },
      }),
      '24h',
      NOW,
    )
    expect(series.points).toHaveLength(24)
    expect(series.points[0]?.start).toBe(THIS_HOUR - 23 * HOUR)
    expect(series.points[23]).toEqual({ start: THIS_HOUR, allowed: 5, refused: 0, rateLimited: 0, total: 5 })
    expect(series.points[21]).toEqual({
      start: THIS_HOUR - 2 * HOUR,
      allowed: 40,
      refused: 3,
      rateLimited: 7,
      total: 50,
    })
    expect(series.points[22]?.total).toBe(0)
    expect(series.ceiling).toBe(50)
    expect(series.totals).toEqual({ allowed: 45, refused: 3, rateLimited: 7 })
  })

  it('gives 30 daily slots for 30 d, adds buckets that share a slot and drops those older than the window', () => {
    const today = Math.floor(NOW / DAY) * DAY
    const series = usageSeries(
      usage({
        window: '30d',
        bucket_seconds: DAY,
        buckets: [
          { start: today - 40 * DAY, allowed: 999, refused: 0, rate_limited: 0 },
          { start: today - 29 * DAY, allowed: 1, refused: 1, rate_limited: 0 },
          { start: today, allowed: 2, refused: 0, rate_limited: 1 },
          // Not on the grid (a replica whose day started at another second): it lands in the day it falls in.
          { start: today + 60, allowed: 3, refused: 0, rate_limited: 0 },
        ],
      }),
      '30d',
      NOW,
    )
    expect(series.points).toHaveLength(30)
    expect(series.points[0]).toMatchObject({ start: today - 29 * DAY, allowed: 1, refused: 1, total: 2 })
    expect(series.points[29]).toMatchObject({ start: today, allowed: 5, rateLimited: 1, total: 6 })
    expect(series.points.reduce((sum, point) => sum + point.allowed, 0)).toBe(6)
    expect(series.ceiling).toBe(10)
  })

  it("follows the server's newest bucket when its clock is ahead of the browser's", () => {
    const series = usageSeries(
      usage({ buckets: [{ start: THIS_HOUR + HOUR, allowed: 1, refused: 0, rate_limited: 0 }] }),
      '24h',
      NOW,
    )
    expect(series.points.at(-1)).toMatchObject({ start: THIS_HOUR + HOUR, allowed: 1 })
    expect(series.points[0]?.start).toBe(THIS_HOUR - 22 * HOUR)
  })

  it('sums refusals by reason across buckets, most frequent first', () => {
    const series = usageSeries(
      usage({
        buckets: [
          {
            start: THIS_HOUR - HOUR,
            allowed: 0,
            refused: 4,
            rate_limited: 0,
            refused_by_reason: { invalid_credentials: 1, ip_not_allowed: 3 },
          },
          { start: THIS_HOUR, allowed: 0, refused: 3, rate_limited: 0, refused_by_reason: { invalid_credentials: 3 } },
          { start: THIS_HOUR, allowed: 1, refused: 0, rate_limited: 0 },
        ],
      }),
      '24h',
      NOW,
    )
    expect(series.reasons).toEqual([
      { reason: 'invalid_credentials', count: 4 },
      { reason: 'ip_not_allowed', count: 3 },
    ])
    expect(series.points.at(-1)).toMatchObject({ allowed: 1, refused: 3, total: 4 })
  })

  it('keeps an idle client on an axis of 1 instead of dividing by zero', () => {
    const series = usageSeries(usage({}), '24h', NOW)
    expect(series.points.every((point) => point.total === 0)).toBe(true)
    expect(series.ceiling).toBe(1)
    expect(series.reasons).toEqual([])
  })
})

describe('niceCeiling', () => {
  it('rounds up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 3, 7, 10, 11, 150, 201, 999, 5000].map(niceCeiling)).toEqual([
      1, 1, 5, 10, 10, 20, 200, 500, 1000, 5000,
    ])
  })
})
