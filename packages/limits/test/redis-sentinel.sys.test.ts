import { measureFailover, RedisSentinelFixture, uniquePrefix } from '@gatekeeper/testkit/redis'
import { describe, expect, it } from 'vitest'
import { alternate, count, useReplicasOn } from './support/replicas'

// One master, one replica and three sentinels on loopback (@gatekeeper/testkit/redis).
const { fixture: sentinel, replica } = useReplicasOn(() => RedisSentinelFixture.start())

describe('Redis Sentinel admission store', () => {
  it('finds the master through the sentinels; two replicas admit exactly N and nonces are single-use', async () => {
    const prefix = uniquePrefix()
    const [a, b] = [replica(prefix), replica(prefix)]
    expect(await a.ready()).toBe(true)
    expect(await b.ready()).toBe(true)
    const limits = { perMinute: 25, perDay: null }
    const results = await alternate(a, b, 120, () => ({ clientId: 'c1', limits }))
    expect(count(results, 'allowed')).toBe(25)
    expect(count(results, 'rate_limited')).toBe(95)
    const nonces = await alternate(a, b, 40, (i) => ({
      clientId: 'c2',
      nonce: { value: `n${i % 10}`, ttlSeconds: 60 },
    }))
    expect(count(nonces, 'allowed')).toBe(10)
    expect(count(nonces, 'replayed')).toBe(30)
  })

  it('follows a failover after the master is killed; the window is measured', async () => {
    const prefix = uniquePrefix()
    const a = replica(prefix, { timeoutMs: 200 })
    await a.ready()
    const oldPort = await sentinel.currentMasterPort()
    expect(oldPort).toBe(sentinel.master.port)
    const limits = { perMinute: 1_000_000, perDay: null }
    const run = await measureFailover(
      () => a.admit({ clientId: 'load', limits }),
      () => sentinel.master.kill(),
      25_000,
    )
    expect(run.recoveredAt).toBeDefined()
    expect(new Set(run.failed.map((o) => o.outcome))).toEqual(new Set(run.failed.length ? ['unavailable'] : []))
    expect(run.settled.every((o) => o.outcome === 'allowed')).toBe(true)
    expect(await sentinel.currentMasterPort()).toBe(sentinel.replica.port)
    const windowMs = (run.recoveredAt ?? 0) - run.killedAt
    console.info(`sentinel failover: decisions unavailable for ${windowMs} ms after the master was killed`)
    expect(windowMs).toBeLessThan(20_000)

    // The promoted replica decides exactly for two fresh replicas.
    const [c, d] = [replica(prefix), replica(prefix)]
    await Promise.all([c.ready(), d.ready()])
    const exact = { perMinute: 30, perDay: null }
    const results = await alternate(c, d, 100, () => ({ clientId: 'after', limits: exact }))
    expect(count(results, 'allowed')).toBe(30)
  })
})
