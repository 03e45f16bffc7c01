import { sleep } from '@gatekeeper/testkit/ports'
import { countKeys, REDIS_URL } from '@gatekeeper/testkit/redis'
import { describe, expect, it } from 'vitest'
import type { WindowShapes } from '../src/policies'
import { alternate, usePrefixes, useReplicas } from './support/replicas'

const store = useReplicas(() => REDIS_URL)
const freshPrefix = usePrefixes()

describe('Redis admission store: rate limits', () => {
  it('two replicas hammered concurrently admit exactly N per window', async () => {
    const prefix = freshPrefix()
    const a = store(prefix)
    const b = store(prefix)
    expect(await a.ready()).toBe(true)
    expect(await b.ready()).toBe(true)
    const limits = { perMinute: 25, perDay: null }
    const results = await alternate(a, b, 200, () => ({ clientId: 'client-1', limits }))
    const count = (o: string) => results.filter((r) => r.outcome === o).length
    expect(count('allowed')).toBe(25)
    expect(count('rate_limited')).toBe(175)
    // The remaining counts handed out are exactly 24, 23, ..., 0: every admit saw every earlier one.
    const remaining = results.flatMap((r) => (r.outcome === 'allowed' ? [r.policies[0]?.remaining] : []))
    expect(remaining.sort((x = 0, y = 0) => y - x)).toEqual(Array.from({ length: 25 }, (_, i) => 24 - i))
    expect(await a.usage('client-1', limits)).toEqual({
      usedDay: 0,
      remainingDay: null,
      usedMinute: 25,
      remainingMinute: 0,
    })
  })

  it('the same holds for day and minute limits combined across replicas', async () => {
    const prefix = freshPrefix()
    const [a, b] = [store(prefix), store(prefix)]
    await Promise.all([a.ready(), b.ready()])
    const limits = { perMinute: 40, perDay: 30 }
    const results = await alternate(a, b, 120, () => ({ clientId: 'client-2', limits }))
    expect(results.filter((r) => r.outcome === 'allowed')).toHaveLength(30)
    expect(await b.usage('client-2', limits)).toEqual({
      usedDay: 30,
      remainingDay: 0,
      usedMinute: 30,
      remainingMinute: 10,
    })
  })

  it('a request refused by the minute limit consumes no day quota (caller clock)', async () => {
    const prefix = freshPrefix()
    const s = store(prefix, {}, { trustCallerClock: true })
    await s.ready()
    const t0 = Math.floor(Date.now() / 1000) * 1000
    const limits = { perMinute: 3, perDay: 5 }
    const at = async (ms: number) => (await s.admit({ clientId: 'c', limits, now: t0 + ms })).outcome
    expect([await at(0), await at(1), await at(2), await at(3), await at(4)]).toEqual([
      'allowed',
      'allowed',
      'allowed',
      'rate_limited',
      'rate_limited',
    ])
    expect([await at(61_000), await at(61_001), await at(61_002)]).toEqual(['allowed', 'allowed', 'rate_limited'])
    // 5 admitted in total: the two minute-refused requests did not count against the day.
    const denied = await s.admit({ clientId: 'c', limits, now: t0 + 200_000 })
    expect(denied).toMatchObject({
      outcome: 'rate_limited',
      policies: [
        { name: 'minute', remaining: 3 },
        { name: 'day', remaining: 0 },
      ],
    })
    // Retry when the day bucket holding the first admits (24 min buckets, epoch aligned) leaves the window.
    const dayBucket = 1_440_000
    const firstDrop = (Math.floor(t0 / dayBucket) + 61) * dayBucket
    expect(denied.outcome === 'rate_limited' && denied.retryAfterSeconds).toBe(
      Math.ceil((firstDrop - t0 - 200_000) / 1000),
    )
  })

  it('the window slides: requests age out bucket by bucket, never more than N in any window', async () => {
    const prefix = freshPrefix()
    const W = 2000
    const B = 100
    const N = 10
    const windows: WindowShapes = {
      minute: { windowMs: W, buckets: W / B },
      day: { windowMs: 86_400_000, buckets: 60 },
    }
    const s = store(prefix, {}, { windows })
    await s.ready()
    const limits = { perMinute: N, perDay: null }
    const log: { at: number; allowed: boolean; elapsed: number }[] = []
    const start = Date.now()
    const attempt = async () => {
      const { result, serverNow } = await s.admitAt({ clientId: 'slider', limits })
      if (serverNow === null) throw new Error(`store failed: ${JSON.stringify(result)}`)
      log.push({ at: serverNow, allowed: result.outcome === 'allowed', elapsed: Date.now() - start })
    }
    // Phase 1: one request every 100 ms for 1 s fills the quota, spread over ~10 buckets.
    for (let i = 0; i < N; i++) {
      await attempt()
      await sleep(start + (i + 1) * B - Date.now())
    }
    // Phase 2: ask every 20 ms for 3.5 s more.
    while (Date.now() - start < 4500) {
      await attempt()
      await sleep(20)
    }
    const admitted = log.filter((e) => e.allowed).map((e) => e.at)
    const phase1 = log.slice(0, N)
    expect(phase1.every((e) => e.allowed)).toBe(true)
    const first = admitted[0] ?? 0
    const lastOfPhase1 = admitted[N - 1] ?? 0

    // Still limited ~1 s after filling up: every attempt between the fill and first + W was refused.
    const between = log.filter((e) => e.at > lastOfPhase1 && e.at < first + W)
    expect(between.length).toBeGreaterThan(20)
    expect(between.every((e) => !e.allowed)).toBe(true)

    // Exactness: no closed interval of one window length ever holds more than N admits.
    for (const a of admitted) expect(admitted.filter((t) => t >= a && t <= a + W).length).toBeLessThanOrEqual(N)

    // No reset cliff: quota returns gradually, starting before the whole first batch has aged out...
    const phase2 = admitted.filter((t) => t > lastOfPhase1 && t < lastOfPhase1 + W + B)
    expect(phase2.length).toBeGreaterThanOrEqual(N / 2)
    expect(phase2[0]).toBeLessThan(lastOfPhase1 + W)
    // ...a few at a time, spread over many buckets rather than all at once.
    const perBucket = new Map<number, number>()
    for (const t of phase2) perBucket.set(Math.floor(t / B), (perBucket.get(Math.floor(t / B)) ?? 0) + 1)
    expect(perBucket.size).toBeGreaterThanOrEqual(5)
    expect(Math.max(...perBucket.values())).toBeLessThanOrEqual(3)
  })

  it('usage() reflects consumption without consuming; keys expire with the window', async () => {
    const prefix = freshPrefix()
    const windows: WindowShapes = { minute: { windowMs: 1000, buckets: 10 }, day: { windowMs: 2000, buckets: 10 } }
    const s = store(prefix, {}, { windows })
    await s.ready()
    const limits = { perMinute: 10, perDay: 100 }
    expect(await s.usage('u', limits)).toEqual({ usedDay: 0, remainingDay: 100, usedMinute: 0, remainingMinute: 10 })
    for (let i = 0; i < 4; i++) await s.admit({ clientId: 'u', limits })
    expect(await s.usage('u', limits)).toEqual({ usedDay: 4, remainingDay: 96, usedMinute: 4, remainingMinute: 6 })
    expect(await s.usage('u', limits)).toEqual({ usedDay: 4, remainingDay: 96, usedMinute: 4, remainingMinute: 6 })
    expect(await s.usage('u', { perMinute: null, perDay: 3 })).toEqual({
      usedDay: 4,
      remainingDay: 0,
      usedMinute: 4,
      remainingMinute: null,
    })
    expect(await countKeys(prefix)).toBe(2)
    await sleep(2300) // > day window + one bucket: both hashes' TTLs have run out
    expect(await countKeys(prefix)).toBe(0)
    expect(await s.usage('u', limits)).toEqual({ usedDay: 0, remainingDay: 100, usedMinute: 0, remainingMinute: 10 })
  })

  it('answers without Redis when neither nonce nor limits apply', async () => {
    const s = store(freshPrefix(), { url: 'redis://127.0.0.1:1' })
    expect(s.admit({ clientId: 'c', limits: null })).toBe(s.admit({ clientId: 'c' }))
    expect(await s.admit({ clientId: 'c' })).toEqual({ outcome: 'allowed', policies: [] })
  })
})
