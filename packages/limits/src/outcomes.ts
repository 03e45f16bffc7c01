import type { ResolvedPolicy } from './policies'
import type { AdmissionMetrics, AdmitResult, FailureMode, LimitSpec, PolicyState, Usage } from './types'

const NO_POLICIES: PolicyState[] = []
Object.freeze(NO_POLICIES)

/** Shared answer for decisions that need no store at all (no nonce, no limits). */
export const ALLOWED_UNLIMITED: AdmitResult = Object.freeze({ outcome: 'allowed', policies: NO_POLICIES })
export const ALLOWED_UNLIMITED_PROMISE: Promise<AdmitResult> = Promise.resolve(ALLOWED_UNLIMITED)
export const REPLAYED: AdmitResult = Object.freeze({ outcome: 'replayed' })

export function policyState(p: ResolvedPolicy, sum: number, resetMs: number): PolicyState {
  return {
    name: p.name,
    limit: p.limit,
    windowSeconds: Math.max(1, Math.ceil(p.windowMs / 1000)),
    remaining: Math.max(0, p.limit - sum),
    resetSeconds: Math.max(1, Math.ceil(resetMs / 1000)),
  }
}

/**
 * `states[i]` belongs to `policies[i]`. When denied, the sums were not incremented; the retry time is the latest reset
 * among the policies that denied (all of them must have room again).
 */
export function limitedResult(policies: readonly ResolvedPolicy[], states: PolicyState[], sums: number[]): AdmitResult {
  let retryAfterSeconds = 1
  for (let i = 0; i < policies.length; i++) {
    const p = policies[i]
    const s = states[i]
    const sum = sums[i]
    if (p && s && sum !== undefined && sum >= p.limit) retryAfterSeconds = Math.max(retryAfterSeconds, s.resetSeconds)
  }
  return { outcome: 'rate_limited', policies: states, retryAfterSeconds }
}

export type FailureContext = {
  nonce: boolean
  limited: boolean
  nonceFailureMode: FailureMode
  rateLimitFailureMode: FailureMode
  metrics?: AdmissionMetrics | undefined
}

/**
 * The store could not answer. A requested nonce check decides first (closed: refuse, since a replay is worse than a
 * refusal); then the rate limit's own mode.
 */
export function failureResult(ctx: FailureContext): AdmitResult {
  if (ctx.nonce) {
    if (ctx.nonceFailureMode === 'closed') return { outcome: 'unavailable', which: 'nonce' }
    ctx.metrics?.failOpen('nonce')
  }
  if (!ctx.limited) return ALLOWED_UNLIMITED
  if (ctx.rateLimitFailureMode === 'closed') return { outcome: 'unavailable', which: 'rate_limit' }
  ctx.metrics?.failOpen('rate_limit')
  return { outcome: 'allowed', policies: NO_POLICIES, failedOpen: 'rate_limit' }
}

/** What usage() reports: used per window (whether or not a limit is set now), remaining where a limit is set. */
export function toUsage(limits: LimitSpec, usedMinute: number, usedDay: number): Usage {
  const left = (limit: number | null | undefined, used: number) =>
    typeof limit === 'number' && Number.isFinite(limit) ? Math.max(0, Math.floor(limit) - used) : null
  return {
    usedDay,
    remainingDay: left(limits.perDay, usedDay),
    usedMinute,
    remainingMinute: left(limits.perMinute, usedMinute),
  }
}

/** Both windows, limits irrelevant: usage() reads them whether or not a limit is set. */
export const BOTH_WINDOWS: LimitSpec = { perMinute: 0, perDay: 0 }
