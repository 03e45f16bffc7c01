import { createRedisAdmissionStore, redactRedisUrl } from '@gatekeeper/limits'

/**
 * What `gatekeeper start` says when the Redis it was given does not answer. authz starts anyway (it keeps
 * deciding with Redis down, by design), but its only sign was a JSON warning line every few seconds, after
 * next steps that read as if all were well.
 */
export async function redisDownWarning(url: string, waitMs = 3000): Promise<string | undefined> {
  const store = createRedisAdmissionStore({
    url,
    timeoutMs: waitMs,
    rateLimitFailureMode: 'closed',
    nonceFailureMode: 'closed',
  })
  try {
    if (await store.ready(waitMs)) return undefined
  } finally {
    await store.close()
  }
  return `Redis at ${redactRedisUrl(url)} does not answer: until it does, authz applies RATE_LIMIT_FAILURE_MODE (default: rate limits not enforced) and NONCE_FAILURE_MODE (default: HMAC requests refused); start Redis, or unset REDIS_URL for in-memory stores`
}
