// The authz HTTP surface: /authz (any method), /health and /metrics, nothing else. No middleware at all, so
// the hot path is one handler. Built from injected dependencies; no side effects at import.

import type { DecideDeps, Decision, TrustedForwarders } from '@gatekeeper/engine'
import { Hono } from 'hono'
import type { AuditLog } from './audit'
import { type AuthzBindings, authzHandler } from './authz/handler'
import { healthReport, type RedisState } from './health'
import type { Metrics } from './metrics'
import type { SnapshotView } from './snapshot/manager'

export interface AppDeps {
  config: { trustedForwarders: TrustedForwarders }
  snapshot: SnapshotView
  /** The engine's dependencies: clock, key parsing, HMAC crypto, the admission store. */
  engine: DecideDeps
  redisState: () => RedisState
  metrics: Metrics
  /** What /metrics serves; default: the local registry (a cluster worker serves every worker's). */
  metricsText?: () => Promise<string>
  /** Absent when AUDIT_LOG=false. */
  audit: AuditLog | undefined
  /** Records last-used times and per-client counts; absent when AUTHZ_USAGE_TRACKING=false. */
  usage?: { record(decision: Decision): void }
  /** Unexpected errors (a bug): logged by the caller with the request id. */
  onError: (err: unknown, requestId: string) => void
  clock?: { now(): number }
}

export function createApp(deps: AppDeps): Hono<{ Bindings: AuthzBindings }> {
  const app = new Hono<{ Bindings: AuthzBindings }>()
  const now = deps.clock?.now ?? Date.now

  app.all(
    '/authz',
    authzHandler({
      snapshot: deps.snapshot,
      engine: deps.engine,
      trustedForwarders: deps.config.trustedForwarders,
      metrics: deps.metrics,
      audit: deps.audit,
      usage: deps.usage,
      onError: deps.onError,
    }),
  )

  app.get('/health', (c) => {
    const report = healthReport(deps.snapshot.health(), deps.redisState(), now())
    return c.json(report, report.ready ? 200 : 503, { 'cache-control': 'no-store' })
  })

  const metricsText = deps.metricsText ?? (() => deps.metrics.registry.metrics())
  app.get('/metrics', async (c) => {
    const text = await metricsText()
    return c.body(text, 200, { 'content-type': deps.metrics.registry.contentType })
  })

  app.notFound((c) => c.json({ error: 'not_found' }, 404))
  app.onError((err, c) => {
    deps.onError(err, 'n/a')
    deps.metrics.error('internal')
    return c.json({ error: 'internal_error' }, 500)
  })
  return app
}
