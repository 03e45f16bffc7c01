import { freePort, sleep } from '@gatekeeper/testkit/ports'
import { PrivateRedis, uniquePrefix } from '@gatekeeper/testkit/redis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTunedRedisAdmissionStore, type RedisAdmissionStoreOptions } from '../src/redis-store'
import type { AdmissionStore, AdmitRequest, AdmitResult } from '../src/types'

// 5 ms against a dead port (failing fast needs no slack); against a live server a few ms more, so that a loaded
// test machine does not turn a healthy answer into a timeout.
const TIMEOUT_MS = 5
const LIVE_TIMEOUT_MS = 30
const opened: AdmissionStore[] = []

function counters() {
  const c = { redisErrors: 0, failOpenRate: 0, failOpenNonce: 0, replays: 0, onError: 0 }
  const metrics = {
    redisErrors: () => c.redisErrors++,
    failOpen: (kind: 'rate_limit' | 'nonce') => (kind === 'rate_limit' ? c.failOpenRate++ : c.failOpenNonce++),
    replayBlocked: () => c.replays++,
  }
  return { c, metrics, onError: () => c.onError++ }
}

function store(
  url: string,
  modes: Pick<RedisAdmissionStoreOptions, 'rateLimitFailureMode' | 'nonceFailureMode'>,
  timeoutMs = TIMEOUT_MS,
) {
  const { c, metrics, onError } = counters()
  const s = createTunedRedisAdmissionStore(
    { url, keyPrefix: uniquePrefix(), timeoutMs, ...modes, metrics, onError },
    {},
  )
  opened.push(s)
  return { s, c }
}

async function timed(s: AdmissionStore, req: AdmitRequest): Promise<{ result: AdmitResult; ms: number }> {
  const t = performance.now()
  const result = await s.admit(req)
  return { result, ms: performance.now() - t }
}

const limited = { clientId: 'c', limits: { perMinute: 3, perDay: null } }
const withNonce = (value: string) => ({ ...limited, nonce: { value, ttlSeconds: 600 } })

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()))
})

describe('Redis unreachable (nothing listens on the port)', () => {
  let url = ''
  beforeAll(async () => {
    url = `redis://127.0.0.1:${await freePort()}`
  })

  it('rate limit open: allowed with failedOpen at once, counted', async () => {
    const { s, c } = store(url, { rateLimitFailureMode: 'open', nonceFailureMode: 'closed' })
    const { result, ms } = await timed(s, limited)
    expect(result).toEqual({ outcome: 'allowed', policies: [], failedOpen: 'rate_limit' })
    expect(ms).toBeLessThan(200)
    expect(s.state()).toBe('down')
    expect(c).toMatchObject({ redisErrors: 1, failOpenRate: 1 })
    expect(c.onError).toBeGreaterThanOrEqual(1)
  })

  it('rate limit closed: unavailable', async () => {
    const { s } = store(url, { rateLimitFailureMode: 'closed', nonceFailureMode: 'open' })
    expect(await s.admit(limited)).toEqual({ outcome: 'unavailable', which: 'rate_limit' })
  })

  it('nonce closed: unavailable even when rate limits fail open', async () => {
    const { s, c } = store(url, { rateLimitFailureMode: 'open', nonceFailureMode: 'closed' })
    const { result, ms } = await timed(s, withNonce('n'))
    expect(result).toEqual({ outcome: 'unavailable', which: 'nonce' })
    expect(ms).toBeLessThan(200)
    expect(c.failOpenRate).toBe(0)
  })

  it('nonce open: continues as if fresh, counted', async () => {
    const { s, c } = store(url, { rateLimitFailureMode: 'open', nonceFailureMode: 'open' })
    expect(await s.admit({ clientId: 'c', nonce: { value: 'n', ttlSeconds: 600 } })).toEqual({
      outcome: 'allowed',
      policies: [],
    })
    expect(await s.admit(withNonce('n'))).toEqual({ outcome: 'allowed', policies: [], failedOpen: 'rate_limit' })
    expect(c).toMatchObject({ failOpenNonce: 2, failOpenRate: 1, redisErrors: 2 })
  })

  it('usage() rejects instead of inventing numbers', async () => {
    const { s, c } = store(url, { rateLimitFailureMode: 'open', nonceFailureMode: 'closed' })
    await expect(s.usage('c', { perMinute: 1, perDay: 1 })).rejects.toThrow()
    expect(c.redisErrors).toBe(1)
  })
})

describe('Redis stopped, hung and restarted (a private redis-server)', () => {
  let server: PrivateRedis
  beforeAll(async () => {
    server = await PrivateRedis.start()
  })
  afterAll(async () => {
    await server.stop()
  })

  it('follows the failure mode while Redis is down, then reconnects by itself and enforces again', async () => {
    const open = store(server.url, { rateLimitFailureMode: 'open', nonceFailureMode: 'closed' }, LIVE_TIMEOUT_MS)
    const closed = store(server.url, { rateLimitFailureMode: 'closed', nonceFailureMode: 'closed' }, LIVE_TIMEOUT_MS)
    expect(await open.s.ready()).toBe(true)
    expect(await closed.s.ready()).toBe(true)
    const outcomes = async (s: AdmissionStore, n: number) => {
      const out: string[] = []
      for (let i = 0; i < n; i++) out.push((await s.admit(limited)).outcome)
      return out
    }
    expect(await outcomes(open.s, 4)).toEqual(['allowed', 'allowed', 'allowed', 'rate_limited'])

    await server.shutdown()
    for (const [s, expected] of [
      [open.s, { outcome: 'allowed', policies: [], failedOpen: 'rate_limit' }],
      [closed.s, { outcome: 'unavailable', which: 'rate_limit' }],
    ] as const) {
      const { result, ms } = await timed(s, limited)
      expect(result).toEqual(expected)
      expect(ms).toBeLessThan(200)
      expect((await timed(s, withNonce('x'))).result).toEqual({ outcome: 'unavailable', which: 'nonce' })
      expect(s.state()).toBe('down')
    }

    await server.start()
    expect(await open.s.ready(10_000)).toBe(true)
    expect(open.s.state()).toBe('up')
    // A fresh server: empty script cache (EVALSHA -> NOSCRIPT -> EVAL) and no counts. Enforced again:
    expect(await outcomes(open.s, 4)).toEqual(['allowed', 'allowed', 'allowed', 'rate_limited'])
    expect(open.c.failOpenRate).toBe(1)
  }, 30_000)

  it('survives SCRIPT FLUSH (EVALSHA falls back to EVAL)', async () => {
    const { s, c } = store(server.url, { rateLimitFailureMode: 'closed', nonceFailureMode: 'closed' }, LIVE_TIMEOUT_MS)
    await s.ready()
    expect((await s.admit(limited)).outcome).toBe('allowed')
    expect(await server.cli('script', 'flush')).toBe('OK')
    expect((await s.admit(limited)).outcome).toBe('allowed')
    expect(c.redisErrors).toBe(0)
  })

  it('a hung Redis costs at most the timeout per decision; the connection is recycled and recovers', async () => {
    const { s, c } = store(server.url, { rateLimitFailureMode: 'open', nonceFailureMode: 'closed' }, LIVE_TIMEOUT_MS)
    await s.ready()
    server.pause()
    try {
      const slow = await Promise.all(Array.from({ length: 20 }, () => timed(s, limited)))
      for (const { result, ms } of slow) {
        expect(result).toEqual({ outcome: 'allowed', policies: [], failedOpen: 'rate_limit' })
        expect(ms).toBeLessThan(LIVE_TIMEOUT_MS + 100)
      }
      expect(c.failOpenRate).toBe(20)
      // ioredis' socketTimeout tears the silent connection down; state() follows.
      await sleep(1500)
      expect(s.state()).toBe('down')
      expect((await timed(s, limited)).ms).toBeLessThan(200)
    } finally {
      server.resume()
    }
    expect(await s.ready(10_000)).toBe(true)
    // Commands that timed out may still run once the server wakes (they sat in its socket buffer), so the first
    // client's quota may be spent; a second client shows enforcement is back.
    const other = { ...limited, clientId: 'other' }
    const after: string[] = []
    for (let i = 0; i < 4; i++) after.push((await s.admit(other)).outcome)
    expect(after).toEqual(['allowed', 'allowed', 'allowed', 'rate_limited'])
  }, 30_000)
})
