import type { RateLimitUsageWire, RateLimitWire } from '@gatekeeper/models'

export type Pressure = { clientId: string; clientName: string; window: 'minute' | 'day'; used: number; limit: number }

/** Clients at 80% or more of a window's limit, fullest first. */
export function underPressure(
  limits: ReadonlyArray<RateLimitWire>,
  usage: ReadonlyMap<string, RateLimitUsageWire>,
): Array<Pressure> {
  const found: Array<Pressure> = []
  for (const limit of limits) {
    const current = usage.get(limit.client_id)
    if (current === undefined) continue
    const base = { clientId: limit.client_id, clientName: limit.client_name }
    if (limit.requests_per_minute !== null && current.used_minute !== undefined) {
      found.push({ ...base, window: 'minute', used: current.used_minute, limit: limit.requests_per_minute })
    }
    if (limit.requests_per_day !== null) {
      found.push({ ...base, window: 'day', used: current.used_day, limit: limit.requests_per_day })
    }
  }
  return found.filter((item) => item.used >= item.limit * 0.8).sort((a, b) => b.used / b.limit - a.used / a.limit)
}
