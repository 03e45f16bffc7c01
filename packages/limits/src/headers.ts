import type { AdmitResult, PolicyState } from './types'

/**
 * Response header fields for a decision, following draft-ietf-httpapi-ratelimit-headers-11 (23 May 2026):
 * - `RateLimit-Policy`: an SF List of quota policies, `"minute";q=100;w=60, "day";q=10000;w=86400`
 *   (Item = String policy name; q = quota, w = window in seconds).
 * - `RateLimit`: an SF List of service limits, `"minute";r=42;t=17` (r = available quota, t = effective window: the
 *   seconds within which no more than r requests fit; with our sliding window, the time until the oldest counted
 *   bucket ages out and r grows again). Every active policy is listed, tightest window first.
 * - `Retry-After` (delay-seconds) on rate-limited decisions; never earlier than the violated policy's `t`.
 * - `X-RateLimit-Limit` / `-Remaining` / `-Reset` (delta seconds) for the policy with the least remaining quota,
 *   the de-facto fields many clients read; nginx can pass these on via auth_request_set.
 * Replayed, unavailable and unlimited decisions carry no fields.
 */
export function rateLimitHeaders(result: AdmitResult): Record<string, string> {
  if (result.outcome !== 'allowed' && result.outcome !== 'rate_limited') return {}
  const policies = result.policies
  if (policies.length === 0) return {}
  const headers: Record<string, string> = {
    'RateLimit-Policy': policies.map((p) => `"${p.name}";q=${p.limit};w=${p.windowSeconds}`).join(', '),
    RateLimit: policies.map((p) => `"${p.name}";r=${p.remaining};t=${p.resetSeconds}`).join(', '),
  }
  const tight = tightest(policies)
  if (tight) {
    headers['X-RateLimit-Limit'] = String(tight.limit)
    headers['X-RateLimit-Remaining'] = String(tight.remaining)
    headers['X-RateLimit-Reset'] = String(tight.resetSeconds)
  }
  if (result.outcome === 'rate_limited') headers['Retry-After'] = String(result.retryAfterSeconds)
  return headers
}

/** Least remaining first; on a tie, the one that takes longer to recover. */
function tightest(policies: PolicyState[]): PolicyState | undefined {
  let best: PolicyState | undefined
  for (const p of policies) {
    if (
      !best ||
      p.remaining < best.remaining ||
      (p.remaining === best.remaining && p.resetSeconds > best.resetSeconds)
    ) {
      best = p
    }
  }
  return best
}
