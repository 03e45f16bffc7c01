// The benchmark's smoke run: the same code as `pnpm bench`, but one request per scenario (asserting its status)
// instead of wrk, small tables, and a few propagation changes. No timing is asserted: the real benchmark is run
// by hand (docs/performance.md).

import { describe, expect, it } from 'vitest'
import { runBenchmark } from '../src/bench'

const EVERY_SCENARIO = [
  'baseline',
  'direct.public',
  'direct.api_key',
  'direct.hmac_v1',
  'direct.hmac_v2',
  'direct.denied',
  'direct.rate_limited',
  'direct.rate_limited_refused',
  'direct.unmatched',
  'direct.garbage',
  'direct.api_key_flooded',
  'nginx.no_auth',
  'nginx.auth_baseline',
  'nginx.auth_authz',
  'scale.small',
  'scale.large',
  'multicore.api_key',
  'multicore.hmac_v1',
  'tracking.off',
  'tracking.on',
  'multicore.nginx_workers',
  'multicore.nginx_replicas',
]

describe('pnpm bench, smoke mode', () => {
  it('answers every scenario as expected and propagates changes to three instances', async () => {
    const report = await runBenchmark({
      mode: 'smoke',
      load: { threads: 1, connections: 1, seconds: 1 },
      warmupSeconds: 0,
      rounds: 1,
      paired: false,
      small: { routes: 10, clients: 20 },
      large: { routes: 40, clients: 200 },
      workers: 2,
      propagationChanges: 5,
      authzFrom: 'source',
      // A fresh worker's first admission call also loads the script: give a busy CI machine room.
      redisTimeoutMs: 250,
      redisUrl: process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      command: 'smoke',
      log: () => undefined,
    })
    expect(report.rows.map((r) => r.key)).toEqual(EVERY_SCENARIO)
    expect(report.rows.filter((r) => r.skipped !== undefined)).toEqual([])

    expect(report.scale.large).toMatchObject({ routes: 45, clients: 204, permissions: 405 })
    expect(report.scale.large?.rssLoadedMB).toBeGreaterThan(0)
    expect(report.propagation).toMatchObject({ changes: 5, missed: 0 })
    expect(report.propagation?.instances).toHaveLength(3)
  })
})
