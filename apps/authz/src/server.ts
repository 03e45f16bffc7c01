// Assembles a running authz from its parsed config: logger, sealer, admission store (Redis when REDIS_URL is
import type { Server as HttpServer } from 'node:http'
// set, else in memory), the Postgres config store and snapshot manager, the app, the HTTP server. main.ts calls
// this; integration tests call it too, on port 0, to run the real thing in-process.

import type { AddressInfo } from 'node:net'
import {
  digestApiKey,
  hmacKey,
  matchesV2Signature,
  parseApiKey,
  parseHmacAuthorization,
  prepareV2Verification,
  sealerFromConfig,
  verifyContentDigest,
  verifyV1Signature,
} from '@gatekeeper/crypto'
import { pruneUsage, redactDatabaseUrl, writeLastUsed, writeUsage } from '@gatekeeper/db'
import { compileTrustedForwarders } from '@gatekeeper/engine'
import type { AdmissionStore } from '@gatekeeper/limits'
import {
  type AdmissionMetrics,
  createMemoryAdmissionStore,
  createRedisAdmissionStore,
  redactRedisUrl,
} from '@gatekeeper/limits'
import { serve } from '@hono/node-server'
import type { DestinationStream, Logger } from 'pino'
import { Registry } from 'prom-client'
import { admissionFromStore } from './admission'
import { createApp } from './app'
import { createAuditLog, createLogger } from './audit'
import type { AuthzConfig } from './config'
import { createMetrics, type Metrics } from './metrics'
import { OneWriteResponse } from './one-write-response'
import { snapshotEvents } from './snapshot/events'
import { SnapshotManager } from './snapshot/manager'
import { createPgConfigStore } from './snapshot/pg-store'
import { UsageTracker } from './usage/tracker'

/** How long start-up waits for the first snapshot before opening the port anyway. */
const STARTUP_READY_WAIT_MS = 5000
// An auth subrequest carries every header nginx accepted from the client (its default buffers take 4 x 8 KiB) plus
// X-Original-URI (up to 8 KiB) and nginx's own: more than node's default 16 KiB. A request nginx accepted but
// authz refused with 431 would reach the client as a 503 authorization_unavailable (nginx maps every unexpected
// auth status to it): decided on, instead, as nginx read it.
const MAX_HEADER_BYTES = 64 * 1024

export interface AuthzServer {
  port: number
  manager: SnapshotManager
  metrics: Metrics
  logger: Logger
  admission: AdmissionStore
  /** Absent when AUTHZ_USAGE_TRACKING=false. */
  usage: UsageTracker | undefined
  /** Stop accepting, let in-flight requests finish (up to `graceMs`), close every connection and flush logs. */
  close(graceMs?: number): Promise<void>
}

export interface StartOptions {
  /** Where logs go (default: stdout, asynchronously). */
  logDestination?: DestinationStream
  /** Reconnect/retry backoff of the config listener (tests shorten it). */
  backoff?: { baseMs: number; capMs: number }
  /** What /metrics serves, given the local registry (a cluster worker serves every worker's: cluster.ts). */
  metricsText?: (registry: Registry) => () => Promise<string>
}

/** Logs at most one line per `intervalMs` per key, with how many were suppressed. */
function throttled(logger: Logger, intervalMs: number) {
  const last = new Map<string, { at: number; suppressed: number }>()
  return (key: string, fields: Record<string, unknown>, message: string) => {
    const now = Date.now()
    const entry = last.get(key)
    if (entry !== undefined && now - entry.at < intervalMs) {
      entry.suppressed++
      return
    }
    logger.warn({ ...fields, suppressed: entry?.suppressed ?? 0 }, message)
    last.set(key, { at: now, suppressed: 0 })
  }
}

export async function startAuthz(config: AuthzConfig, options: StartOptions = {}): Promise<AuthzServer> {
  const { logger, flush, droppedBytes } = createLogger({
    level: config.logLevel,
    ...(options.logDestination === undefined ? {} : { destination: options.logDestination }),
  })
  const sealer = sealerFromConfig(config.masterKey)
  if (!sealer.ok) throw new Error(`authz: ${sealer.error}`)
  const trusted = compileTrustedForwarders(config.trustedForwarders)
  if (!trusted.ok) throw new Error(`authz: TRUSTED_FORWARDER_IPS: ${trusted.reason}`)

  const metrics = createMetrics(new Registry())
  const warn = throttled(logger, 5000)
  const admissionMetrics: AdmissionMetrics = {
    redisErrors: (op) => metrics.redisError(op),
    failOpen: (kind) => {
      metrics.failOpen(kind)
      warn(`fail_open_${kind}`, { kind }, 'redis unavailable: allowing without this check (failure mode open)')
    },
    replayBlocked: () => metrics.replayBlocked(),
  }
  const admission: AdmissionStore =
    config.redisUrl === undefined
      ? createMemoryAdmissionStore({
          rateLimitFailureMode: config.rateLimitFailureMode,
          nonceFailureMode: config.nonceFailureMode,
          metrics: admissionMetrics,
        })
      : createRedisAdmissionStore({
          url: config.redisUrl,
          keyPrefix: config.redisKeyPrefix,
          timeoutMs: config.redisTimeoutMs,
          socketTimeoutMs: config.redisSocketTimeoutMs,
          rateLimitFailureMode: config.rateLimitFailureMode,
          nonceFailureMode: config.nonceFailureMode,
          onError: (err, op) => warn(`redis_${op}`, { err: err.message, op }, 'redis error'),
          metrics: admissionMetrics,
        })

  const configStore = createPgConfigStore({
    url: config.databaseUrl,
    applicationName: 'gatekeeper-authz',
    onPoolError: (err) => warn('pg_pool', { err: err.message }, 'postgres pool connection error'),
  })
  const manager = new SnapshotManager({
    store: configStore,
    sealer: sealer.sealer,
    pollIntervalMs: config.configPollIntervalMs,
    events: snapshotEvents(logger, metrics),
    ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
  })
  metrics.watch({
    ready: () => manager.current() !== undefined,
    version: () => manager.health().version,
    ageSeconds: () => {
      const synced = manager.health().syncedAt
      return synced === null ? null : (Date.now() - synced) / 1000
    },
    rows: () => manager.health().stats,
    postgresUp: () => manager.postgresUp(),
    redisState: () => admission.state(),
    logDroppedBytes: droppedBytes,
  })

  // Written through the config store's fallback pool: one connection, open only around a flush.
  const pool = configStore.pool
  const usage = config.usageTracking
    ? new UsageTracker({
        sink: {
          writeLastUsed: (entries) => writeLastUsed(pool, entries),
          writeUsage: (counts) => writeUsage(pool, counts),
          prune: (days) => pruneUsage(pool, days),
        },
        flushIntervalMs: config.usageFlushIntervalMs,
        retentionDays: config.usageRetentionDays,
        onError: (err, what) =>
          warn(`usage_${what}`, { err: err instanceof Error ? err.message : String(err) }, `usage ${what} failed`),
      })
    : undefined

  const app = createApp({
    config: { trustedForwarders: trusted.trusted },
    snapshot: manager,
    engine: {
      now: Date.now,
      parseApiKey,
      digestApiKey,
      hmac: {
        parseHmacAuthorization,
        verifyV1Signature,
        v2: { prepareV2Verification, matchesV2Signature, verifyContentDigest },
        prepareSecret: hmacKey,
      },
      admission: admissionFromStore(admission),
      hmacToleranceSeconds: config.hmacToleranceSeconds,
      requireKnownHost: config.requireKnownHost,
      knownHosts: config.knownHosts,
    },
    redisState: () => admission.state(),
    metrics,
    ...(options.metricsText === undefined ? {} : { metricsText: options.metricsText(metrics.registry) }),
    audit: config.auditLog ? createAuditLog(logger) : undefined,
    ...(usage === undefined ? {} : { usage }),
    onError: (err, requestId) =>
      logger.error({ err: err instanceof Error ? err.message : String(err), request_id: requestId }, 'internal error'),
  })

  // The port opens once the first snapshot is loaded (normally well under a second), or after
  // STARTUP_READY_WAIT_MS without one (then /authz answers 503 not_ready and /health says starting, as before).
  // Behind a static nginx upstream a restarted replica gets traffic as soon as it accepts connections: opened
  // earlier, it answered that traffic 503 not_ready (seen by packages/security's authz-kill fault script).
  void manager.start()
  await manager.ready(STARTUP_READY_WAIT_MS)
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve(
      {
        fetch: app.fetch,
        port: config.port,
        hostname: config.host,
        serverOptions: { ServerResponse: OneWriteResponse, maxHeaderSize: MAX_HEADER_BYTES },
      },
      () => resolve(s),
    )
    s.once('error', reject)
  }).catch(async (err: unknown) => {
    await manager.stop()
    throw err
  })
  const port = (server.address() as AddressInfo).port
  usage?.start()
  // Keep-alive connections from nginx outlive single requests; keep them open longer than nginx's own idle
  // timeout (60 s by default) so nginx is the side that closes them.
  if ('keepAliveTimeout' in server) server.keepAliveTimeout = 65_000

  logger.info(
    {
      port,
      host: config.host,
      postgres: redactDatabaseUrl(config.databaseUrl),
      admission: config.redisUrl === undefined ? 'memory' : `redis ${redactRedisUrl(config.redisUrl)}`,
      config_poll_interval_ms: config.configPollIntervalMs,
      audit_log: config.auditLog,
      trusted_forwarders: trusted.trusted.size,
      usage_tracking: config.usageTracking,
      usage_flush_interval_ms: config.usageFlushIntervalMs,
    },
    `authz listening on ${config.host}:${port}; config from PostgreSQL, rate limits and nonces ${
      config.redisUrl === undefined ? 'in memory (single instance)' : 'in Redis'
    }`,
  )

  let closing: Promise<void> | undefined
  async function close(graceMs = config.shutdownGraceMs): Promise<void> {
    const httpServer = server as HttpServer
    const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()))
    httpServer.closeIdleConnections()
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref())
    if ((await Promise.race([stopped, timer])) === 'timeout') {
      logger.warn({ grace_ms: graceMs }, 'shutdown grace elapsed: closing remaining connections')
      httpServer.closeAllConnections()
      await stopped
    }
    // No request is in flight any more: what they recorded goes out before the pool closes.
    if (usage !== undefined) await Promise.race([usage.stop(), sleep(5000)])
    await Promise.race([manager.stop(), sleep(2000)])
    await Promise.race([configStore.close(), sleep(2000)])
    await admission.close()
    // Audit lines still gathering go out first, so 'authz stopped' is the last line, after every decision.
    await flush()
    logger.info('authz stopped')
    await flush()
  }

  return {
    port,
    manager,
    metrics,
    logger,
    admission,
    usage,
    close(graceMs) {
      closing ??= close(graceMs)
      return closing
    },
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref())
}
