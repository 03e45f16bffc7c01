// Every authz metric, declared once. Label values come from closed sets only: result, reason (the decision
// vocabulary), method (the seven known ones, anything else `OTHER`), route (a configured route id, or
// `unmatched`), never a raw path or host.

import { HTTP_METHODS } from '@gatekeeper/models'
import { Counter, collectDefaultMetrics, Gauge, Histogram, type Registry } from 'prom-client'
import { PlainHistogram } from './plain-histogram'

/** Decision latency from 50 µs: a decision from memory takes microseconds; one with Redis, about a millisecond. */
const DECISION_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25]
const RELOAD_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
const LAG_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5]

/** The method label: one of the known methods, anything else `OTHER` (the last index). */
const METHOD_LABELS: readonly string[] = [...HTTP_METHODS, 'OTHER']

/** Compared, not hashed: the method is a new string from the request headers every time. */
function methodIndex(method: string): number {
  for (let i = 0; i < HTTP_METHODS.length; i++) if (HTTP_METHODS[i] === method) return i
  return HTTP_METHODS.length
}

interface DecisionCell {
  labels: Record<'result' | 'reason' | 'method' | 'route', string>
  n: number
}

export type ErrorType =
  | 'snapshot_load'
  | 'notification_apply'
  | 'version_check'
  | 'listener'
  | 'credential_skipped'
  | 'route_rejected'
  | 'redis'
  | 'internal'

export interface SnapshotGaugeSource {
  version(): number | null
  ageSeconds(): number | null
  rows(): Record<string, number> | null
  ready(): boolean
  postgresUp(): boolean
  redisState(): 'up' | 'down' | 'memory'
  /** Bytes of log output dropped so far because stdout did not keep up (see audit.ts). */
  logDroppedBytes(): number
}

export interface Metrics {
  readonly registry: Registry
  /** One decision: counter + latency histogram (allocates only for a label combination not seen before). */
  decision(allowed: boolean, reason: string, method: string, routeId: string | undefined, seconds: number): void
  error(type: ErrorType): void
  reload(trigger: string, seconds: number, ok: boolean): void
  notification(result: string, lagSeconds?: number): void
  redisError(op: string): void
  failOpen(kind: string): void
  replayBlocked(): void
  /** One HMAC verification: the scheme the header announced (1, 2, unknown) and its outcome. */
  hmacVerification(version: '1' | '2' | 'unknown', result: string): void
  /** Gauges read at scrape time from the live snapshot and stores. */
  watch(source: SnapshotGaugeSource): void
}

export function createMetrics(registry: Registry, options: { defaultMetrics?: boolean } = {}): Metrics {
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry })

  // Decisions are counted in plain numbers on the hot path and handed to prom-client when it collects (a scrape,
  // or a cluster primary asking): a labelled inc() hashes its labels on every call (CPU profile). The cells are
  // found by route id and reason, strings that are the same objects request after request (the snapshot's, the
  // engine's constants), so V8 hashes each once; the method is a small index. No string is built per decision.
  const cells = new Map<string, Map<string, (DecisionCell | undefined)[]>>()
  const all: DecisionCell[] = []
  new Counter({
    name: 'gatekeeper_authz_decisions_total',
    help: 'Authorisation decisions by result, reason, method and route id (unmatched when no route matched).',
    labelNames: ['result', 'reason', 'method', 'route'] as const,
    registers: [registry],
    collect() {
      for (const cell of all) {
        if (cell.n === 0) continue
        this.inc(cell.labels, cell.n)
        cell.n = 0
      }
    },
  })
  // Observed on every decision, so in plain numbers as the counter above: prom-client's observe() builds and
  // hashes a label object and finds the bucket under its bound as a property name (~3k instructions per call).
  const duration = new PlainHistogram({
    name: 'gatekeeper_authz_decision_duration_seconds',
    help: 'Time from receiving an /authz request to its decision (Redis included when consulted).',
    buckets: DECISION_BUCKETS,
  })
  duration.register(registry)
  const errors = new Counter({
    name: 'gatekeeper_authz_errors_total',
    help: 'Errors by type (snapshot_load, notification_apply, version_check, listener, credential_skipped, ...).',
    labelNames: ['type'] as const,
    registers: [registry],
  })
  const reloads = new Counter({
    name: 'gatekeeper_authz_snapshot_reloads_total',
    help: 'Full snapshot loads by trigger (start, gap, behind, error, retry, batch) and outcome.',
    labelNames: ['trigger', 'outcome'] as const,
    registers: [registry],
  })
  const reloadDuration = new Histogram({
    name: 'gatekeeper_authz_snapshot_reload_duration_seconds',
    help: 'Duration of successful full snapshot loads (query, unsealing and index build).',
    buckets: RELOAD_BUCKETS,
    registers: [registry],
  })
  const notifications = new Counter({
    name: 'gatekeeper_authz_notifications_total',
    help: 'Config change notifications by result (applied, skipped, gap, invalid, failed, batch).',
    labelNames: ['result'] as const,
    registers: [registry],
  })
  const lag = new Histogram({
    name: 'gatekeeper_authz_notification_lag_seconds',
    help: 'From receipt of a change notification to the change being visible to decisions (row re-read included). The payload carries no commit time, so commit-to-receipt is not measured.',
    buckets: LAG_BUCKETS,
    registers: [registry],
  })
  const redisErrors = new Counter({
    name: 'gatekeeper_authz_redis_errors_total',
    help: 'Redis errors and timeouts by operation.',
    labelNames: ['op'] as const,
    registers: [registry],
  })
  const failOpen = new Counter({
    name: 'gatekeeper_authz_fail_open_total',
    help: 'Decisions allowed without their rate limit or nonce check because Redis could not answer (failure mode open).',
    labelNames: ['kind'] as const,
    registers: [registry],
  })
  const replays = new Counter({
    name: 'gatekeeper_authz_replays_blocked_total',
    help: 'HMAC requests refused because their nonce was already used.',
    registers: [registry],
  })

  const hmacVerifications = new Counter({
    name: 'gatekeeper_authz_hmac_verifications_total',
    help: 'HMAC signature verifications by scheme version (1, 2, unknown) and result (valid, invalid, stale_timestamp, digest_mismatch, version_refused).',
    labelNames: ['version', 'result'] as const,
    registers: [registry],
  })

  const metrics: Metrics = {
    registry,
    decision(allowed, reason, method, routeId, seconds) {
      const route = routeId ?? 'unmatched'
      let byReason = cells.get(route)
      if (byReason === undefined) {
        byReason = new Map()
        cells.set(route, byReason)
      }
      let byMethod = byReason.get(reason)
      if (byMethod === undefined) {
        byMethod = []
        byReason.set(reason, byMethod)
      }
      const m = methodIndex(method)
      const cell = byMethod[m]
      if (cell === undefined) {
        const labels = { result: allowed ? 'allowed' : 'denied', reason, method: METHOD_LABELS[m] ?? 'OTHER', route }
        const created = { labels, n: 1 }
        byMethod[m] = created
        all.push(created)
      } else {
        cell.n++
      }
      duration.observe(seconds)
    },
    error(type) {
      errors.inc({ type })
    },
    reload(trigger, seconds, ok) {
      reloads.inc({ trigger, outcome: ok ? 'ok' : 'failed' })
      if (ok) reloadDuration.observe(seconds)
    },
    notification(result, lagSeconds) {
      notifications.inc({ result })
      if (lagSeconds !== undefined) lag.observe(lagSeconds)
    },
    redisError(op) {
      redisErrors.inc({ op })
      errors.inc({ type: 'redis' })
    },
    failOpen(kind) {
      failOpen.inc({ kind })
    },
    replayBlocked() {
      replays.inc()
    },
    hmacVerification(version, result) {
      hmacVerifications.inc({ version, result })
    },
    watch(source) {
      watchGauges(registry, source)
    },
  }
  return metrics
}

// `aggregator`: how a cluster primary (AUTHZ_WORKERS, cluster.ts) combines the workers' values; counters and
// histograms are summed. Readiness and versions take the least ready / oldest worker, ages the stalest.
function watchGauges(registry: Registry, source: SnapshotGaugeSource): void {
  new Gauge({
    name: 'gatekeeper_authz_ready',
    help: '1 once the first config snapshot is loaded.',
    aggregator: 'min',
    registers: [registry],
    collect() {
      this.set(source.ready() ? 1 : 0)
    },
  })
  new Gauge({
    name: 'gatekeeper_authz_snapshot_version',
    help: 'Config version the in-memory snapshot reflects.',
    aggregator: 'min',
    registers: [registry],
    collect() {
      const v = source.version()
      if (v !== null) this.set(v)
    },
  })
  new Gauge({
    name: 'gatekeeper_authz_snapshot_age_seconds',
    help: 'Seconds since the snapshot was last confirmed current (load, applied change or version check).',
    aggregator: 'max',
    registers: [registry],
    collect() {
      const age = source.ageSeconds()
      if (age !== null) this.set(age)
    },
  })
  new Gauge({
    name: 'gatekeeper_authz_snapshot_rows',
    help: 'Rows in the in-memory snapshot by table.',
    labelNames: ['table'] as const,
    aggregator: 'max',
    registers: [registry],
    collect() {
      const rows = source.rows()
      if (rows === null) return
      for (const [table, count] of Object.entries(rows)) this.set({ table }, count)
    },
  })
  new Gauge({
    name: 'gatekeeper_authz_postgres_up',
    help: '1 while the LISTEN connection is up and the last config query succeeded.',
    aggregator: 'min',
    registers: [registry],
    collect() {
      this.set(source.postgresUp() ? 1 : 0)
    },
  })
  new Gauge({
    name: 'gatekeeper_authz_redis_up',
    help: '1 while Redis is connected (or the in-memory store is used), 0 when it is down.',
    aggregator: 'min',
    registers: [registry],
    collect() {
      this.set(source.redisState() === 'down' ? 0 : 1)
    },
  })
  let droppedSeen = 0
  new Counter({
    name: 'gatekeeper_authz_log_dropped_bytes_total',
    help: 'Log output (audit lines included) dropped because stdout did not take it fast enough and the buffer was full.',
    registers: [registry],
    collect() {
      const total = source.logDroppedBytes()
      if (total > droppedSeen) this.inc(total - droppedSeen)
      droppedSeen = total
    },
  })
}
