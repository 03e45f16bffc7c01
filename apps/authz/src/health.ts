// GET /health: liveness and readiness in one JSON document. 200 whenever authz can decide (a snapshot is
// loaded), even degraded (Postgres or Redis down: it still decides from memory and by its failure modes);
// 503 while starting (no snapshot yet), so a load balancer sends it nothing.

import type { SnapshotHealth } from './snapshot/manager'

export type RedisState = 'up' | 'down' | 'memory'

export interface HealthReport {
  status: 'ok' | 'degraded' | 'starting'
  ready: boolean
  snapshot: {
    loaded: boolean
    version: number | null
    /** Seconds since the snapshot was last confirmed current (full load, applied change or version check). */
    age_seconds: number | null
    loaded_at: string | null
    routes: number
    clients: number
    credentials: number
    permissions: number
    rate_limits: number
    skipped_credentials: number
  }
  postgres: 'up' | 'down'
  redis: RedisState
}

export function healthReport(snapshot: SnapshotHealth, redis: RedisState, nowMs: number): HealthReport {
  const ready = snapshot.loaded
  const degraded = snapshot.postgres === 'down' || redis === 'down'
  const stats = snapshot.stats
  return {
    status: !ready ? 'starting' : degraded ? 'degraded' : 'ok',
    ready,
    snapshot: {
      loaded: snapshot.loaded,
      version: snapshot.version,
      age_seconds: snapshot.syncedAt === null ? null : Math.max(0, (nowMs - snapshot.syncedAt) / 1000),
      loaded_at: snapshot.loadedAt === null ? null : new Date(snapshot.loadedAt).toISOString(),
      routes: stats?.routes ?? 0,
      clients: stats?.clients ?? 0,
      credentials: stats?.credentials ?? 0,
      permissions: stats?.permissions ?? 0,
      rate_limits: stats?.rateLimits ?? 0,
      skipped_credentials: snapshot.skippedCredentials,
    },
    postgres: snapshot.postgres,
    redis,
  }
}
