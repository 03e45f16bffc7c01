// createApp(testDeps): an in-memory snapshot, the engine's MemoryAdmission, a real metrics registry and an
// audit log that records entries, for app.request() tests and the loopback HTTP tests.

import { compileTrustedForwarders, EngineState } from '@gatekeeper/engine'
import { makeDeps, type TestDeps } from '@gatekeeper/engine/testing'
import { Registry } from 'prom-client'
import type { AppDeps } from '../../src/app'
import type { AuditEntry } from '../../src/audit'
import type { RedisState } from '../../src/health'
import { createMetrics, type Metrics } from '../../src/metrics'
import type { SnapshotHealth, SnapshotView } from '../../src/snapshot/manager'

export interface TestWorld {
  deps: AppDeps
  engine: TestDeps
  metrics: Metrics
  audit: AuditEntry[]
  errors: unknown[]
  /** Replace or clear (undefined: not ready) the state decisions are made on. */
  snapshot: { state: EngineState | undefined; postgres: 'up' | 'down'; version: number }
  redis: { state: RedisState }
}

export function makeTestWorld(options: { trustedForwarders?: string[]; audit?: boolean } = {}): TestWorld {
  const trusted = compileTrustedForwarders(options.trustedForwarders ?? [])
  if (!trusted.ok) throw new Error(trusted.reason)
  const engine = makeDeps({ nowMs: Date.now() })
  const metrics = createMetrics(new Registry(), { defaultMetrics: false })
  const audit: AuditEntry[] = []
  const errors: unknown[] = []
  const snapshot: TestWorld['snapshot'] = { state: new EngineState(), postgres: 'up', version: 1 }
  const redis: TestWorld['redis'] = { state: 'memory' }
  const view: SnapshotView = {
    current: () => snapshot.state,
    health: (): SnapshotHealth => ({
      loaded: snapshot.state !== undefined,
      version: snapshot.state === undefined ? null : snapshot.version,
      loadedAt: snapshot.state === undefined ? null : engine.clock.nowMs - 5000,
      syncedAt: snapshot.state === undefined ? null : engine.clock.nowMs - 2000,
      postgres: snapshot.postgres,
      stats: snapshot.state?.stats() ?? null,
      skippedCredentials: 0,
    }),
  }
  const deps: AppDeps = {
    config: { trustedForwarders: trusted.trusted },
    snapshot: view,
    engine,
    redisState: () => redis.state,
    metrics,
    audit: options.audit === false ? undefined : { decision: (entry) => audit.push(entry) },
    onError: (err) => errors.push(err),
    clock: { now: () => engine.clock.nowMs },
  }
  return { deps, engine, metrics, audit, errors, snapshot, redis }
}
