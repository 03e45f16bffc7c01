import { createHash } from 'node:crypto'
import type { AdmissionStore } from '@gatekeeper/limits'
import type { Metrics } from './metrics'

/** The proxied calls that are throttled: the ones that take an email (guessing, spam, enumeration). */
export const THROTTLED_CALLS = new Set(['login', 'register', 'request-password-reset'])

export type ThrottleKey = 'ip' | 'email'

export type ThrottleVerdict = { ok: true } | { ok: false; key: ThrottleKey; retryAfterSeconds: number }

export type AuthThrottle = {
  /** Counts one attempt against the client IP, then against the email (when given). */
  check(call: string, who: { ip: string; email: string | null }): Promise<ThrottleVerdict>
}

export type AuthThrottleOptions = {
  /** A Redis store when REDIS_URL is set (shared by every console-api replica), a memory store otherwise. */
  store: AdmissionStore
  ipPerMinute: number
  emailPerMinute: number
  metrics: Metrics
}

/** Store keys carry a digest, never the address or the email itself (and never a brace, see limits/keys.ts). */
const digest = (kind: ThrottleKey, value: string) =>
  `auth-${kind}:${createHash('sha256').update(value).digest('hex').slice(0, 32)}`

/**
 * Sliding-minute attempt counters per client IP and per email, on the same admission store (and the same
 * arithmetic) authz rate-limits clients with. A store that cannot answer lets the call through (counted in
 * `console_auth_throttle_errors_total`): Aegis still checks the password, and an outage of Redis must not
 * lock every admin out of the console.
 */
export function createAuthThrottle(opts: AuthThrottleOptions): AuthThrottle {
  async function admit(call: string, kind: ThrottleKey, value: string, perMinute: number): Promise<ThrottleVerdict> {
    if (perMinute <= 0) return { ok: true }
    const result = await opts.store.admit({
      clientId: digest(kind, value),
      limits: { perMinute, perDay: null },
    })
    if (result.outcome === 'rate_limited') {
      opts.metrics.authThrottled.inc({ call, key: kind })
      return { ok: false, key: kind, retryAfterSeconds: Math.max(1, Math.ceil(result.retryAfterSeconds)) }
    }
    if (result.outcome === 'unavailable' || (result.outcome === 'allowed' && result.failedOpen !== undefined)) {
      opts.metrics.authThrottleErrors.inc()
    }
    return { ok: true }
  }

  return {
    async check(call, who) {
      const byIp = await admit(call, 'ip', who.ip, opts.ipPerMinute)
      if (!byIp.ok || who.email === null) return byIp
      return admit(call, 'email', who.email, opts.emailPerMinute)
    },
  }
}
