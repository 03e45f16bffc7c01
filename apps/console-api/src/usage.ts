import { type AdmissionStore, createRedisAdmissionStore } from '@gatekeeper/limits'
import { ApiError } from '@gatekeeper/models'
import type { Logger } from 'pino'
import type { UsageReader } from './app-deps'

const USAGE_TIMEOUT_MS = 1000
const ERROR_LOG_INTERVAL_MS = 10_000

/** A store's error handler that logs at most one line per interval: a Redis outage must not flood the log. */
function throttledErrorLog(logger: Logger, message: string): (err: Error, op: string) => void {
  let lastLogged = 0
  return (err, op) => {
    const now = Date.now()
    if (now - lastLogged < ERROR_LOG_INTERVAL_MS) return
    lastLogged = now
    logger.warn({ op, err: { name: err.name, message: err.message } }, message)
  }
}

/**
 * Rate-limit usage comes from the Redis store authz counts in. Without Redis, authz counts in its own
 * memory, out of console-api's reach: the usage endpoint then answers 503 rather than zeros.
 */
export function createUsageReader(opts: { redisUrl: string | undefined; keyPrefix: string; logger: Logger }): {
  reader: UsageReader
  close(): Promise<void>
} {
  if (opts.redisUrl === undefined) {
    return {
      reader: {
        usage: () =>
          Promise.reject(ApiError.notConfigured('REDIS_URL (authz counts rate limits in its own memory without it)')),
      },
      close: async () => {},
    }
  }
  const store = createRedisAdmissionStore({
    url: opts.redisUrl,
    keyPrefix: opts.keyPrefix,
    timeoutMs: USAGE_TIMEOUT_MS,
    rateLimitFailureMode: 'closed',
    nonceFailureMode: 'closed',
    onError: throttledErrorLog(opts.logger, 'redis error (rate-limit usage)'),
  })
  return { reader: store, close: () => store.close() }
}

const THROTTLE_TIMEOUT_MS = 500

/**
 * The sign-in throttle's counters on Redis (REDIS_URL), shared by every console-api replica, under their
 * own key prefix (`<REDIS_KEY_PREFIX>console-auth:`) apart from authz's client counters. Undefined without
 * Redis: createApp then counts in memory. A Redis that cannot answer lets sign-ins through (fail open).
 */
export function createAuthThrottleStore(opts: {
  redisUrl: string | undefined
  keyPrefix: string
  logger: Logger
}): AdmissionStore | undefined {
  if (opts.redisUrl === undefined) return undefined
  return createRedisAdmissionStore({
    url: opts.redisUrl,
    keyPrefix: `${opts.keyPrefix}console-auth:`,
    timeoutMs: THROTTLE_TIMEOUT_MS,
    rateLimitFailureMode: 'open',
    nonceFailureMode: 'open',
    onError: throttledErrorLog(opts.logger, 'redis error (sign-in throttle)'),
  })
}
