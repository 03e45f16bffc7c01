import { createRedisAdmissionStore } from '@gatekeeper/limits'
import { ApiError } from '@gatekeeper/models'
import type { Logger } from 'pino'
import type { UsageReader } from './app-deps'

const USAGE_TIMEOUT_MS = 1000
const ERROR_LOG_INTERVAL_MS = 10_000

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
  let lastLogged = 0
  const store = createRedisAdmissionStore({
    url: opts.redisUrl,
    keyPrefix: opts.keyPrefix,
    timeoutMs: USAGE_TIMEOUT_MS,
    rateLimitFailureMode: 'closed',
    nonceFailureMode: 'closed',
    onError: (err, op) => {
      const now = Date.now()
      if (now - lastLogged < ERROR_LOG_INTERVAL_MS) return
      lastLogged = now
      opts.logger.warn({ op, err: { name: err.name, message: err.message } }, 'redis error (rate-limit usage)')
    },
  })
  return { reader: store, close: () => store.close() }
}
