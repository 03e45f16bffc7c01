import { REDIS_URL } from '@gatekeeper/testkit/redis'
import { describe, expect, it } from 'vitest'
import { usePrefixes, useReplicas } from './support/replicas'

const replica = useReplicas(() => REDIS_URL)
const freshPrefix = usePrefixes()

function replicas(count: number, onReplay: () => void) {
  const prefix = freshPrefix()
  const metrics = { redisErrors: () => {}, failOpen: () => {}, replayBlocked: onReplay }
  const stores = Array.from({ length: count }, () => replica(prefix, { metrics }))
  return { prefix, stores }
}

describe('Redis admission store: replay protection', () => {
  it('concurrent replays of one nonce across two replicas: exactly one allowed, and replays consume no quota', async () => {
    let blocked = 0
    const { stores } = replicas(2, () => blocked++)
    const [a, b] = stores
    if (!a || !b) throw new Error('no stores')
    await Promise.all([a.ready(), b.ready()])
    const limits = { perMinute: 100, perDay: 1000 }
    const req = { clientId: 'client-r', nonce: { value: 'nonce-1', ttlSeconds: 600 }, limits }
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).admit(req)))
    expect(results.filter((r) => r.outcome === 'allowed')).toHaveLength(1)
    expect(results.filter((r) => r.outcome === 'replayed')).toHaveLength(59)
    expect(blocked).toBe(59)
    expect(await a.usage('client-r', limits)).toMatchObject({ usedMinute: 1, usedDay: 1 })
  })

  it('scopes nonces per client and stores them with the caller TTL', async () => {
    const { prefix, stores } = replicas(1, () => {})
    const [s] = stores
    if (!s) throw new Error('no store')
    await s.ready()
    const nonce = { value: 'shared', ttlSeconds: 600 }
    expect((await s.admit({ clientId: 'x', nonce })).outcome).toBe('allowed')
    expect((await s.admit({ clientId: 'y', nonce })).outcome).toBe('allowed')
    expect((await s.admit({ clientId: 'x', nonce })).outcome).toBe('replayed')
    const { Redis } = await import('ioredis')
    const raw = new Redis(REDIS_URL)
    try {
      const ttl = await raw.ttl(`${prefix}n:{x}:shared`)
      expect(ttl).toBeGreaterThan(590)
      expect(ttl).toBeLessThanOrEqual(600)
    } finally {
      raw.disconnect()
    }
  })

  it('a fresh nonce on a rate-limited request is still burnt', async () => {
    const { stores } = replicas(1, () => {})
    const [s] = stores
    if (!s) throw new Error('no store')
    await s.ready()
    const limits = { perMinute: 1, perDay: null }
    expect((await s.admit({ clientId: 'z', limits })).outcome).toBe('allowed')
    const req = { clientId: 'z', limits, nonce: { value: 'n', ttlSeconds: 600 } }
    expect((await s.admit(req)).outcome).toBe('rate_limited')
    expect((await s.admit(req)).outcome).toBe('replayed')
  })
})
