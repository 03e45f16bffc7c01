import { REDIS_URL } from '@gatekeeper/testkit/redis'
import fc from 'fast-check'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { limitKey } from '../src/keys'
import { createMemoryAdmissionStore } from '../src/memory-store'
import { createTunedRedisAdmissionStore } from '../src/redis-store'
import { replicaOptions, usePrefixes } from './support/replicas'

const freshPrefix = usePrefixes()

const op = fc.record({
  clientId: fc.constantFrom('a', 'b'),
  nonce: fc.option(fc.constantFrom('n1', 'n2', 'n3', 'n4', 'n5', 'n6'), { nil: undefined }),
  limits: fc.constantFrom(
    null,
    { perMinute: 3, perDay: null },
    { perMinute: null, perDay: 5 },
    { perMinute: 2, perDay: 6 },
    { perMinute: 0, perDay: 4 },
  ),
  gapMs: fc.integer({ min: 0, max: 45_000 }),
  // What a replica still on the previous script version does to the hash: it drops the running-sum summary
  // (its fields look like bucket indices below the window). The next call must rebuild it, exactly.
  oldReplica: fc.boolean(),
})

const raw = new Redis(REDIS_URL)
afterAll(() => raw.disconnect())

/** Closed failure modes and a generous timeout (a slow machine must not turn into extra admits); test clock. */
function redisStore(prefix: string) {
  return createTunedRedisAdmissionStore(replicaOptions(REDIS_URL, prefix), { trustCallerClock: true })
}

describe('Redis store and memory store agree', () => {
  it('give the same result for any sequence of decisions (Lua and TypeScript implement one algorithm)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
        const prefix = freshPrefix()
        const redis = redisStore(prefix)
        const memory = createMemoryAdmissionStore({ sweepIntervalMs: 0 })
        try {
          await redis.ready()
          let now = 1_700_000_000_000 + 777
          for (const o of ops) {
            now += o.gapMs
            if (o.oldReplica) {
              for (const policy of ['minute', 'day'] as const) {
                await raw.hdel(limitKey(prefix, o.clientId, policy), '-1', '-2', '-3')
              }
            }
            const nonce = o.nonce ? { value: o.nonce, ttlSeconds: 3600 } : undefined
            const req = { clientId: o.clientId, nonce, limits: o.limits, now }
            expect(await redis.admit(req)).toEqual(await memory.admit(req))
          }
        } finally {
          await redis.close()
          await memory.close()
        }
      }),
      { numRuns: 60 },
    )
  })

  it('counts a hash written by the previous script version (bucket fields only, no running sum)', async () => {
    const prefix = freshPrefix()
    const now = 1_700_000_000_000 + 500
    const bucket = Math.floor(now / 1000)
    // Three admits 10 s ago, two 70 s ago (outside the minute window), as the previous version stored them.
    await raw.hset(limitKey(prefix, 'c', 'minute'), String(bucket - 10), '3', String(bucket - 70), '2')
    await raw.pexpire(limitKey(prefix, 'c', 'minute'), 61_000)
    const redis = redisStore(prefix)
    try {
      await redis.ready()
      const limits = { perMinute: 5, perDay: null }
      const first = await redis.admit({ clientId: 'c', limits, now })
      expect(first).toMatchObject({ outcome: 'allowed', policies: [{ remaining: 1 }] })
      expect(await redis.admit({ clientId: 'c', limits, now })).toMatchObject({ outcome: 'allowed' })
      expect(await redis.admit({ clientId: 'c', limits, now })).toMatchObject({ outcome: 'rate_limited' })
      // The bucket from 70 s ago was dropped; the summary now says 5 counted, oldest 10 s ago, newest now.
      const hash = await raw.hgetall(limitKey(prefix, 'c', 'minute'))
      expect(hash).toEqual({
        [String(bucket - 10)]: '3',
        [String(bucket)]: '2',
        '-1': '5',
        '-2': String(bucket - 10),
        '-3': String(bucket),
      })
    } finally {
      await redis.close()
    }
  })
})
