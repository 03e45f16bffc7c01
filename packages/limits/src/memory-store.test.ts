import { describe, expect, it } from 'vitest'
import { createMemoryAdmissionStore } from './memory-store'
import type { AdmitResult } from './types'

const T0 = 1_700_000_000_000 // a whole second, so bucket maths below is easy to follow
const minute = (perMinute: number) => ({ perMinute, perDay: null })

function outcomes(results: AdmitResult[]): string[] {
  return results.map((r) => r.outcome)
}

describe('memory admission store: rate limits', () => {
  it('admits exactly the limit within a minute, then answers rate_limited with a retry time', async () => {
    const store = createMemoryAdmissionStore({ sweepIntervalMs: 0 })
    const results: AdmitResult[] = []
    for (let i = 0; i < 7; i++)
      results.push(await store.admit({ clientId: 'c', limits: minute(5), now: T0 + i * 1000 }))
    expect(outcomes(results)).toEqual([
      'allowed',
      'allowed',
      'allowed',
      'allowed',
      'allowed',
      'rate_limited',
      'rate_limited',
    ])
    const first = results[0]
    expect(first?.outcome === 'allowed' && first.policies).toEqual([
      { name: 'minute', limit: 5, windowSeconds: 60, remaining: 4, resetSeconds: 61 },
    ])
    // The request at T0 sits in bucket T0/1s, counted until T0 + 61 s; at T0 + 5 s that is 56 s away.
    const denied = results[5]
    expect(denied).toEqual({
      outcome: 'rate_limited',
      retryAfterSeconds: 56,
      policies: [{ name: 'minute', limit: 5, windowSeconds: 60, remaining: 0, resetSeconds: 56 }],
    })
  })

  it('lets requests age out one bucket at a time, without a reset cliff', async () => {
    const store = createMemoryAdmissionStore({ sweepIntervalMs: 0 })
    for (let i = 0; i < 3; i++) await store.admit({ clientId: 'c', limits: minute(3), now: T0 + i * 10_000 })
    const at = async (ms: number) => (await store.admit({ clientId: 'c', limits: minute(3), now: T0 + ms })).outcome
    expect(await at(60_999)).toBe('rate_limited') // the first request's bucket is still counted
    expect(await at(61_000)).toBe('allowed') // ...and now it is not: exactly one slot came back
    expect(await at(61_500)).toBe('rate_limited')
    expect(await at(71_000)).toBe('allowed')
    expect(await at(71_001)).toBe('rate_limited')
  })

  it('a request refused by the minute limit consumes no day quota', async () => {
    const store = createMemoryAdmissionStore({ sweepIntervalMs: 0, clock: () => T0 })
    const limits = { perMinute: 2, perDay: 3 }
    const got: string[] = []
    for (let i = 0; i < 4; i++) got.push((await store.admit({ clientId: 'c', limits, now: T0 })).outcome)
    expect(got).toEqual(['allowed', 'allowed', 'rate_limited', 'rate_limited'])
    expect(await store.usage('c', limits)).toEqual({ usedDay: 2, remainingDay: 1, usedMinute: 2, remainingMinute: 0 })
    const later = await store.admit({ clientId: 'c', limits, now: T0 + 120_000 })
    expect(later.outcome === 'allowed' && later.policies.map((p) => [p.name, p.remaining])).toEqual([
      ['minute', 1],
      ['day', 0],
    ])
    const dayLimited = await store.admit({ clientId: 'c', limits, now: T0 + 121_000 })
    expect(dayLimited.outcome).toBe('rate_limited')
    // Only the day policy refused: retry when its oldest 24-minute bucket ages out.
    expect(dayLimited.outcome === 'rate_limited' && dayLimited.retryAfterSeconds).toBeGreaterThan(86_400 - 121)
  })

  it('keeps clients apart and honours a limit of 0 as "deny all"', async () => {
    const store = createMemoryAdmissionStore({ sweepIntervalMs: 0 })
    expect((await store.admit({ clientId: 'a', limits: minute(1), now: T0 })).outcome).toBe('allowed')
    expect((await store.admit({ clientId: 'b', limits: minute(1), now: T0 })).outcome).toBe('allowed')
    expect((await store.admit({ clientId: 'z', limits: minute(0), now: T0 })).outcome).toBe('rate_limited')
  })

  it('answers immediately and shares one result when neither nonce nor limits apply', async () => {
    const store = createMemoryAdmissionStore({ sweepIntervalMs: 0 })
    const a = store.admit({ clientId: 'c' })
    const b = store.admit({ clientId: 'c', limits: { perDay: null, perMinute: null } })
    expect(a).toBe(b)
    expect(await a).toEqual({ outcome: 'allowed', policies: [] })
  })
})

describe('memory admission store: nonces', () => {
  it('refuses a replayed nonce without consuming quota, and forgets it after its TTL', async () => {
    const replays: number[] = []
    const store = createMemoryAdmissionStore({
      sweepIntervalMs: 0,
      clock: () => T0,
      metrics: { redisErrors: () => {}, failOpen: () => {}, replayBlocked: () => replays.push(1) },
    })
    const req = { clientId: 'c', nonce: { value: 'n1', ttlSeconds: 600 }, limits: minute(10) }
    expect((await store.admit({ ...req, now: T0 })).outcome).toBe('allowed')
    expect(await store.admit({ ...req, now: T0 + 1000 })).toEqual({ outcome: 'replayed' })
    expect(await store.admit({ ...req, clientId: 'other', now: T0 + 1000 })).toMatchObject({ outcome: 'allowed' })
    expect((await store.usage('c', minute(10))).usedMinute).toBe(1)
    expect(replays).toHaveLength(1)
    expect((await store.admit({ ...req, now: T0 + 600_000 })).outcome).toBe('allowed')
  })

  it('stores the nonce of a rate-limited request, so it cannot be replayed once quota is back', async () => {
    const store = createMemoryAdmissionStore({ sweepIntervalMs: 0 })
    await store.admit({ clientId: 'c', limits: minute(1), now: T0 })
    const req = { clientId: 'c', nonce: { value: 'n', ttlSeconds: 600 }, limits: minute(1) }
    expect((await store.admit({ ...req, now: T0 + 1 })).outcome).toBe('rate_limited')
    expect((await store.admit({ ...req, now: T0 + 120_000 })).outcome).toBe('replayed')
  })

  it('stays bounded: when the nonce table is full it fails closed (or open, if so configured)', async () => {
    const failOpens: string[] = []
    const metrics = { redisErrors: () => {}, failOpen: (k: string) => failOpens.push(k), replayBlocked: () => {} }
    const closed = createMemoryAdmissionStore({ sweepIntervalMs: 0, maxNonces: 2, metrics })
    const n = (value: string, now: number) => ({ clientId: 'c', nonce: { value, ttlSeconds: 10 }, now })
    expect((await closed.admit(n('a', T0))).outcome).toBe('allowed')
    expect((await closed.admit(n('b', T0))).outcome).toBe('allowed')
    expect(await closed.admit(n('c', T0))).toEqual({ outcome: 'unavailable', which: 'nonce' })
    // Once the first two expire, a sweep makes room again.
    expect((await closed.admit(n('c', T0 + 10_000))).outcome).toBe('allowed')
    expect(closed.size().nonces).toBe(1)

    const open = createMemoryAdmissionStore({ sweepIntervalMs: 0, maxNonces: 1, nonceFailureMode: 'open', metrics })
    await open.admit(n('a', T0))
    expect(await open.admit(n('b', T0))).toEqual({ outcome: 'allowed', policies: [] })
    expect(failOpens).toEqual(['nonce'])
  })

  it('sweeps expired nonces and idle counters', async () => {
    let now = T0
    const store = createMemoryAdmissionStore({ sweepIntervalMs: 0, clock: () => now })
    for (let i = 0; i < 100; i++) {
      await store.admit({ clientId: `c${i}`, nonce: { value: 'x', ttlSeconds: 30 }, limits: minute(5) })
    }
    expect(store.size()).toEqual({ nonces: 100, counters: 100 })
    now += 31_000
    store.sweep()
    expect(store.size()).toEqual({ nonces: 0, counters: 100 })
    now += 61_000
    store.sweep()
    expect(store.size()).toEqual({ nonces: 0, counters: 0 })
    await store.close()
  })

  it('fails open on a full counter table by default, closed when configured', async () => {
    const open = createMemoryAdmissionStore({ sweepIntervalMs: 0, maxCounters: 1 })
    await open.admit({ clientId: 'a', limits: minute(5), now: T0 })
    expect(await open.admit({ clientId: 'b', limits: minute(5), now: T0 })).toEqual({
      outcome: 'allowed',
      policies: [],
      failedOpen: 'rate_limit',
    })
    const closed = createMemoryAdmissionStore({ sweepIntervalMs: 0, maxCounters: 1, rateLimitFailureMode: 'closed' })
    await closed.admit({ clientId: 'a', limits: minute(5), now: T0 })
    expect(await closed.admit({ clientId: 'b', limits: minute(5), now: T0 })).toEqual({
      outcome: 'unavailable',
      which: 'rate_limit',
    })
    expect(closed.state()).toBe('memory')
  })
})
