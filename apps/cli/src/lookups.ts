import type { AdminOps } from '@gatekeeper/db/admin'
import { ApiError, type RateLimitWire } from '@gatekeeper/models'

/** A client's rate limit, or undefined when it has none (an unknown client is still a 404). */
export async function findRateLimit(ops: AdminOps, clientId: string): Promise<RateLimitWire | undefined> {
  try {
    return await ops.rateLimits.get(clientId)
  } catch (err) {
    if (err instanceof ApiError && err.code === 'not_found' && err.message.startsWith('rate_limit')) return undefined
    throw err
  }
}
