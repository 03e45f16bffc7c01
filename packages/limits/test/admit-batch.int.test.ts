import { describe, expect, it } from 'vitest'
import type { AdmitRequest, AdmitResult, FailureMode } from '../src/types'
import { commandCalls, outcomes, usePrivateRedis } from './support/batches'
import { useReplicas } from './support/replicas'

// The admissions of concurrent rate-limited decisions go to Redis as one script call per event-loop turn
// (admit-batch.ts). A private Redis, so its command statistics count only these stores' calls.
const redis = usePrivateRedis()
const store = useReplicas(() => redis().url)

async function replica(timeoutMs = 2000, rateLimitFailureMode: FailureMode = 'closed') {
  const s = store('admits:', { timeoutMs, rateLimitFailureMode })
  await s.ready()
  return s
}

describe('batched admissions', () => {
  it('concurrent admissions of several clients on two replicas keep every limit exact, in few Redis calls', async () => {
    const a = await replica()
    const b = await replica()
    // Warm the script cache (EVALSHA, NOSCRIPT, EVAL on first use), then count from zero.
    for (const s of [a, b]) {
      await Promise.all([0, 1].map(() => s.admit({ clientId: 'warm', limits: { perMinute: 100, perDay: null } })))
    }
    await redis().cli('config', 'resetstat')

    // Interleaved in one turn: a minute limit (1 key), minute and day (2 keys), a signed client with a limit
    // (nonce + 1 key, every nonce sent twice), across both replicas.
    const requests: AdmitRequest[] = []
    for (let i = 0; i < 120; i++) {
      requests.push({ clientId: 'minute', limits: { perMinute: 30, perDay: null } })
      requests.push({ clientId: 'both', limits: { perMinute: 50, perDay: 20 } })
      requests.push({
        clientId: 'signed',
        limits: { perMinute: 25, perDay: null },
        nonce: { value: `n${i >> 1}`, ttlSeconds: 60 },
      })
    }
    const results = await Promise.all(requests.map((r, i) => (i % 2 ? a : b).admit(r)))
    const of = (client: string) => results.filter((_, i) => requests[i]?.clientId === client)

    expect(outcomes(of('minute'))).toEqual({ allowed: 30, rate_limited: 90 })
    expect(outcomes(of('both'))).toEqual({ allowed: 20, rate_limited: 100 })
    // 60 distinct nonces, each sent twice: one of each pair is a replay; of the 60 fresh ones 25 fit the limit.
    expect(outcomes(of('signed'))).toEqual({ allowed: 25, rate_limited: 35, replayed: 60 })
    // Every allowed answer counts itself: the remaining counts handed out are exactly 29, 28, ..., 0.
    const remaining = of('minute').flatMap((r) => (r.outcome === 'allowed' ? [r.policies[0]?.remaining ?? -1] : []))
    expect(remaining.sort((x, y) => y - x)).toEqual(Array.from({ length: 30 }, (_, i) => 29 - i))

    // 360 admissions, 180 per replica, of at most 64 keys per call (at least 2 admissions each: at most 90 calls
    // per replica; in practice a few), not 360 script calls.
    const stats = await commandCalls(redis())
    const scripts = (stats.evalsha ?? 0) + (stats.eval ?? 0)
    expect(scripts).toBeGreaterThan(0)
    expect(scripts).toBeLessThanOrEqual(2 * 20)
    // And an admission made later in its own turn sees every earlier one.
    expect((await a.admit({ clientId: 'minute', limits: { perMinute: 30, perDay: null } })).outcome).toBe(
      'rate_limited',
    )
    expect((await b.admit({ clientId: 'minute', limits: { perMinute: 31, perDay: null } })).outcome).toBe('allowed')
  })

  it('a Redis that stops answering gives every admission of the batch its failure mode', async () => {
    const open = await replica(200, 'open')
    redis().pause()
    let results: AdmitResult[]
    try {
      results = await Promise.all([
        ...Array.from({ length: 5 }, () => open.admit({ clientId: 'p', limits: { perMinute: 10, perDay: null } })),
        open.admit({
          clientId: 'q',
          limits: { perMinute: 10, perDay: null },
          nonce: { value: 'q-nonce-1', ttlSeconds: 60 },
        }),
      ])
    } finally {
      redis().resume()
    }
    // Rate limits fail open; a nonce fails closed whatever the limit's mode.
    expect(results.slice(0, 5)).toEqual(
      Array.from({ length: 5 }, () => ({ outcome: 'allowed', policies: [], failedOpen: 'rate_limit' })),
    )
    expect(results[5]).toEqual({ outcome: 'unavailable', which: 'nonce' })
  })
})
