import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { deleteKeys, REDIS_URL, uniquePrefix } from '../test/support/redis'
import { createMemoryAdmissionStore } from './memory-store'
import { createTunedRedisAdmissionStore } from './redis-store'

const prefixes: string[] = []
afterAll(async () => {
  for (const p of prefixes) await deleteKeys(p)
})

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
})

describe('Redis store and memory store agree', () => {
  it('give the same result for any sequence of decisions (Lua and TypeScript implement one algorithm)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
        const prefix = uniquePrefix()
        prefixes.push(prefix)
        const redis = createTunedRedisAdmissionStore(
          {
            url: REDIS_URL,
            keyPrefix: prefix,
            timeoutMs: 2000,
            rateLimitFailureMode: 'closed',
            nonceFailureMode: 'closed',
          },
          { trustCallerClock: true },
        )
        const memory = createMemoryAdmissionStore({ sweepIntervalMs: 0 })
        try {
          await redis.ready()
          let now = 1_700_000_000_000 + 777
          for (const o of ops) {
            now += o.gapMs
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
})
