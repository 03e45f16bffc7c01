import { PrivateRedis } from '@gatekeeper/testkit/redis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTunedRedisAdmissionStore } from '../src/redis-store'
import type { AdmissionStore, AdmitResult } from '../src/types'
import { commandCalls, outcomes } from './support/batches'

// The nonces of concurrent signed requests go to Redis as one script call per event-loop turn (nonce-batch.ts).
// A private Redis, so its command statistics count only these stores' calls.
let redis: PrivateRedis
const opened: AdmissionStore[] = []

beforeAll(async () => {
  redis = await PrivateRedis.start()
})

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()))
})

afterAll(async () => {
  await redis?.stop()
})

async function replica(timeoutMs = 2000) {
  let blocked = 0
  const store = createTunedRedisAdmissionStore(
    {
      url: redis.url,
      keyPrefix: 'batch:',
      timeoutMs,
      rateLimitFailureMode: 'closed',
      nonceFailureMode: 'closed',
      metrics: { redisErrors: () => {}, failOpen: () => {}, replayBlocked: () => blocked++ },
    },
    {},
  )
  opened.push(store)
  await store.ready()
  return { store, blocked: () => blocked }
}

describe('batched nonce checks', () => {
  it('many concurrent duplicates on two replicas: exactly one claim of each nonce is accepted, in few Redis calls', async () => {
    const a = await replica()
    const b = await replica()
    const nonce = (value: string) => ({ value, ttlSeconds: 600 })
    // Warm the script cache (the first call of a script is EVALSHA, NOSCRIPT, EVAL), then count from zero.
    await Promise.all([0, 1].map((i) => a.store.admit({ clientId: 'warm', nonce: nonce(`w${i}`) })))
    await Promise.all([0, 1].map((i) => b.store.admit({ clientId: 'warm', nonce: nonce(`w${i + 2}`) })))
    await redis.cli('config', 'resetstat')

    // 300 claims of one nonce, and 100 further nonces each claimed 3 times, alternating replicas, all issued in
    // one turn: duplicates fall in one batch, and in the two replicas' batches.
    const calls: Promise<AdmitResult>[] = []
    for (let i = 0; i < 300; i++) calls.push((i % 2 ? a : b).store.admit({ clientId: 'c1', nonce: nonce('same') }))
    for (let k = 0; k < 100; k++) {
      for (let j = 0; j < 3; j++) {
        const client = k % 2 ? 'c1' : 'c2'
        calls.push((j % 2 ? a : b).store.admit({ clientId: client, nonce: nonce(`n${k}`) }))
      }
    }
    const results = await Promise.all(calls)

    expect(outcomes(results.slice(0, 300))).toEqual({ allowed: 1, replayed: 299 })
    for (let k = 0; k < 100; k++) {
      expect(outcomes(results.slice(300 + 3 * k, 303 + 3 * k)), `nonce n${k}`).toEqual({ allowed: 1, replayed: 2 })
    }
    expect(a.blocked() + b.blocked()).toBe(299 + 200)
    // 600 claims, 300 per replica, each one SET in Redis (commandstats counts those a script runs), sent as
    // 64-key script calls and the remainder (7 per replica; an EVAL more where a connection met NOSCRIPT), not as
    // 600 commands.
    const stats = await commandCalls(redis)
    expect(stats.set).toBe(600)
    expect(stats.evalsha ?? 0).toBeGreaterThan(0)
    expect((stats.evalsha ?? 0) + (stats.eval ?? 0)).toBeLessThanOrEqual(2 * 2 * 7)
    // And a claim made later in its own turn still sees every stored nonce.
    expect((await a.store.admit({ clientId: 'c2', nonce: nonce('n0') })).outcome).toBe('replayed')
    expect((await b.store.admit({ clientId: 'c1', nonce: nonce('fresh') })).outcome).toBe('allowed')
  })

  it('a Redis that stops answering fails every claim of the batch closed, and the next batch succeeds', async () => {
    const { store } = await replica(200)
    redis.pause()
    try {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.admit({ clientId: 'p', nonce: { value: `p${i}`, ttlSeconds: 60 } })),
      )
      expect(results).toEqual(Array.from({ length: 10 }, () => ({ outcome: 'unavailable', which: 'nonce' })))
    } finally {
      redis.resume()
    }
    // The stalled connection is recycled (socketTimeout); claims succeed again.
    let fresh: AdmitResult[] = []
    for (let attempt = 0; attempt < 50; attempt++) {
      fresh = await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          store.admit({ clientId: 'p', nonce: { value: `q${attempt}-${i}`, ttlSeconds: 60 } }),
        ),
      )
      if (fresh.every((r) => r.outcome === 'allowed')) break
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(outcomes(fresh)).toEqual({ allowed: 4 })
  })
})
