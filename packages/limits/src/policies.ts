import type { LimitSpec, PolicyName } from './types'

/** Length of a policy's window and the number of sub-window buckets it is counted in. */
export type WindowShape = { windowMs: number; buckets: number }
export type WindowShapes = Record<PolicyName, WindowShape>

/** 60 buckets per window: 1 s buckets for the minute, 24 min buckets for the day. */
export const DEFAULT_WINDOWS: WindowShapes = {
  minute: { windowMs: 60_000, buckets: 60 },
  day: { windowMs: 86_400_000, buckets: 60 },
}

export type ResolvedPolicy = { name: PolicyName; limit: number; windowMs: number; bucketMs: number }

/** Checked once when a store is built: bucket boundaries must be whole milliseconds. */
export function validateWindows(windows: WindowShapes): void {
  for (const [name, w] of Object.entries(windows)) {
    const ok = Number.isInteger(w.buckets) && w.buckets > 0 && w.windowMs > 0 && w.windowMs % w.buckets === 0
    if (!ok) throw new Error(`window "${name}": windowMs must be a positive multiple of buckets`)
  }
}

function policy(name: PolicyName, limit: number, windows: WindowShapes): ResolvedPolicy {
  const w = windows[name]
  return { name, limit: Math.max(0, Math.floor(limit)), windowMs: w.windowMs, bucketMs: w.windowMs / w.buckets }
}

const NONE: readonly ResolvedPolicy[] = Object.freeze([])

/** Policies that apply, tightest window first (the order of the RateLimit header items). */
export function resolvePolicies(
  limits: LimitSpec | null | undefined,
  windows: WindowShapes,
): readonly ResolvedPolicy[] {
  if (!limits) return NONE
  const { perMinute, perDay } = limits
  const hasMinute = typeof perMinute === 'number' && Number.isFinite(perMinute)
  const hasDay = typeof perDay === 'number' && Number.isFinite(perDay)
  if (!hasMinute && !hasDay) return NONE
  const out: ResolvedPolicy[] = []
  if (hasMinute) out.push(policy('minute', perMinute, windows))
  if (hasDay) out.push(policy('day', perDay, windows))
  return out
}
