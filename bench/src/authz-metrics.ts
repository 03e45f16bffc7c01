import { httpGet } from './http'

// What authz itself counted during a scenario, from /metrics before and after: decisions by reason, Redis
// errors (timeouts included) and fail-open decisions. It proves each scenario measured the decision it names.

export type Counts = Record<string, number>

const SAMPLE = /^(gatekeeper_authz_(?:decisions|redis_errors|fail_open)_total)\{([^}]*)\}\s+([\d.e+]+)$/

function label(labels: string, name: string): string {
  return new RegExp(`${name}="([^"]*)"`).exec(labels)?.[1] ?? '?'
}

export function parseAuthzCounts(text: string): Counts {
  const counts: Counts = {}
  for (const line of text.split('\n')) {
    const m = SAMPLE.exec(line)
    if (m === null || m[1] === undefined || m[2] === undefined) continue
    const key =
      m[1] === 'gatekeeper_authz_decisions_total'
        ? label(m[2], 'reason')
        : m[1] === 'gatekeeper_authz_redis_errors_total'
          ? 'redis_errors'
          : `fail_open_${label(m[2], 'kind')}`
    counts[key] = (counts[key] ?? 0) + Number(m[3])
  }
  return counts
}

export async function authzCounts(port: number): Promise<Counts> {
  const reply = await httpGet(port, '/metrics', {}, undefined, 10_000)
  if (reply.status !== 200) throw new Error(`/metrics on port ${port}: ${reply.status}`)
  return parseAuthzCounts(reply.body)
}

/** after - before, without the zeros. */
export function countsDelta(before: Counts, after: Counts): Counts {
  const delta: Counts = {}
  for (const [key, value] of Object.entries(after)) {
    const d = value - (before[key] ?? 0)
    if (d !== 0) delta[key] = d
  }
  return delta
}
