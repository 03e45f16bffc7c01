import { measureFailover, RedisClusterFixture, uniquePrefix } from '@gatekeeper/testkit/redis'
import { Cluster, Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { limitKey, nonceKey } from '../src/keys'
import { alternate, count, useReplicasOn } from './support/replicas'

// A real three-master, three-replica Redis Cluster on loopback (@gatekeeper/testkit/redis).
const { fixture: cluster, replica } = useReplicasOn(() => RedisClusterFixture.start())

describe('Redis Cluster admission store', () => {
  it("puts every key of one client's decision in one hash slot, and spreads clients over the masters", async () => {
    const node = new Redis(cluster.nodes[0]?.port ?? 0, '127.0.0.1')
    try {
      const slots = new Set<number>()
      for (let i = 0; i < 12; i++) {
        const client = `client-${i}`
        const keys = [nonceKey('gk:', client, 'n1'), limitKey('gk:', client, 'minute'), limitKey('gk:', client, 'day')]
        const keySlots = await Promise.all(keys.map((k) => node.cluster('KEYSLOT', k)))
        expect(new Set(keySlots).size).toBe(1)
        slots.add(Number(keySlots[0]))
      }
      expect(slots.size).toBeGreaterThan(1)
    } finally {
      node.disconnect()
    }
    const owners = new Set<number>()
    for (let i = 0; i < 6; i++) owners.add((await cluster.masterFor(limitKey('gk:', `client-${i}`, 'minute'))).port)
    expect(owners.size).toBeGreaterThan(1)
  })

  it('two replicas hammering the cluster concurrently admit exactly N per client', async () => {
    const prefix = uniquePrefix()
    const [a, b] = [replica(prefix), replica(prefix)]
    expect(await a.ready()).toBe(true)
    expect(await b.ready()).toBe(true)
    const clients = Array.from({ length: 6 }, (_, i) => `c${i}`)
    const limits = { perMinute: 25, perDay: 40 }
    const calls = clients.flatMap((clientId) =>
      Array.from({ length: 120 }, (_, i) => ({ store: i % 2 === 0 ? a : b, clientId })),
    )
    const results = await Promise.all(calls.map(({ store, clientId }) => store.admit({ clientId, limits })))
    for (const clientId of clients) {
      const mine = results.filter((_, i) => calls[i]?.clientId === clientId)
      expect(count(mine, 'allowed')).toBe(25)
      expect(count(mine, 'rate_limited')).toBe(95)
      expect(await b.usage(clientId, limits)).toEqual({
        usedDay: 25,
        remainingDay: 15,
        usedMinute: 25,
        remainingMinute: 0,
      })
    }
  })

  it('a nonce is single-use across replicas, with and without limits', async () => {
    const prefix = uniquePrefix()
    const [a, b] = [replica(prefix), replica(prefix)]
    await Promise.all([a.ready(), b.ready()])
    for (const limits of [null, { perMinute: 1000, perDay: null }]) {
      const tries = Array.from({ length: 40 }, (_, i) => ({ clientId: `c${i % 5}`, nonce: `n-${i}-${limits}` }))
      const results = await Promise.all(
        tries.flatMap(({ clientId, nonce }) =>
          [a, b, a, b].map((s) => s.admit({ clientId, nonce: { value: nonce, ttlSeconds: 60 }, limits })),
        ),
      )
      expect(count(results, 'allowed')).toBe(40)
      expect(count(results, 'replayed')).toBe(120)
    }
  })

  it('reloads the script on every node after SCRIPT FLUSH (EVALSHA falls back to EVAL on NOSCRIPT)', async () => {
    const prefix = uniquePrefix()
    const a = replica(prefix)
    await a.ready()
    const limits = { perMinute: 3, perDay: null }
    const clients = Array.from({ length: 6 }, (_, i) => `f${i}`)
    for (const clientId of clients) expect((await a.admit({ clientId, limits })).outcome).toBe('allowed')
    await Promise.all(cluster.nodes.map((n) => n.cli('script', 'flush')))
    for (const clientId of clients) {
      const r = await a.admit({ clientId, limits })
      expect(r.outcome).toBe('allowed')
      expect(r.outcome === 'allowed' && r.policies[0]?.remaining).toBe(1)
    }
  })

  it('keeps deciding through a master failover; the window is measured', async () => {
    const prefix = uniquePrefix()
    const a = replica(prefix, { timeoutMs: 200 })
    await a.ready()
    const clientId = 'failover-client'
    const key = limitKey(prefix, clientId, 'minute')
    const victim = await cluster.masterFor(key)
    const limits = { perMinute: 1_000_000, perDay: null }
    const run = await measureFailover(
      () => a.admit({ clientId, limits }),
      () => victim.kill(),
      20_000,
    )
    expect(run.recoveredAt).toBeDefined()
    const windowMs = (run.recoveredAt ?? 0) - run.killedAt
    // Only 'unavailable' (closed failure mode) while the slot has no master; never a wrong answer.
    expect(new Set(run.failed.map((o) => o.outcome))).toEqual(new Set(run.failed.length ? ['unavailable'] : []))
    expect(run.settled.every((o) => o.outcome === 'allowed')).toBe(true)
    console.info(`cluster failover: decisions unavailable for ${windowMs} ms after the master was killed`)
    expect(windowMs).toBeLessThan(15_000)

    // After the failover the promoted replica decides exactly again, across two fresh replicas.
    await cluster.waitHealthy()
    const [c, d] = [replica(prefix), replica(prefix)]
    await Promise.all([c.ready(), d.ready()])
    const exact = { perMinute: 30, perDay: null }
    const results = await alternate(c, d, 100, () => ({ clientId: 'after-failover', limits: exact }))
    expect(count(results, 'allowed')).toBe(30)
  })
})

// Sanity: the factory really hands callers a Cluster client for a cluster URL.
it('redis+cluster:// URLs produce an ioredis Cluster', async () => {
  const { createAdmissionClient } = await import('../src/redis-client')
  const noop = () => {}
  const client = createAdmissionClient(cluster.url, { onUp: noop, onDown: noop, onError: noop })
  try {
    expect(client).toBeInstanceOf(Cluster)
  } finally {
    client.disconnect()
  }
})
