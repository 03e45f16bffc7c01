import type { AdminOps } from '@gatekeeper/db/admin'
import type { DbHandle } from '@gatekeeper/db/client'
import type { AdmissionStore, LimitSpec, Usage } from '@gatekeeper/limits'
import type { Logger } from 'pino'
import type { AegisClient } from './aegis/types'
import type { ConsoleConfig } from './config'
import type { Metrics } from './metrics'

export type Clock = {
  /** Milliseconds since the epoch. */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** Current rate-limit consumption of a client, as authz counts it (the shared Redis store). */
export type UsageReader = {
  usage(clientId: string, limits: LimitSpec): Promise<Usage>
}

/** Everything createApp needs, built once by main.ts (or by a test). */
export type AppDeps = {
  config: ConsoleConfig
  /** Used for the readiness check; adminOps holds the same pool. */
  db: DbHandle
  adminOps: AdminOps
  aegis: AegisClient
  usage: UsageReader
  logger: Logger
  metrics: Metrics
  clock: Clock
  /**
   * Where the sign-in throttle counts attempts: main.ts hands in a Redis store when REDIS_URL is set;
   * absent, createApp counts in memory (one replica's view).
   */
  authThrottleStore?: AdmissionStore
}
