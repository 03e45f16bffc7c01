import { httpGet } from '@gatekeeper/testkit/http'

// What an authz replica says about itself: /health and /metrics.

export interface AuthzHealth {
  status: string
  postgres: string
  redis: string
  version: number | null
}

export async function authzHealth(port: number): Promise<AuthzHealth | undefined> {
  try {
    const reply = await httpGet(port, '/health', 1000)
    const body = JSON.parse(reply.body) as {
      status?: string
      postgres?: string
      redis?: string
      snapshot?: { version?: number }
    }
    return {
      status: body.status ?? '',
      postgres: body.postgres ?? '',
      redis: body.redis ?? '',
      version: body.snapshot?.version ?? null,
    }
  } catch {
    return undefined
  }
}

/** Sample lines of /metrics (not comments). */
export async function metricLines(port: number): Promise<string[]> {
  const reply = await httpGet(port, '/metrics', 5000)
  return reply.body.split('\n').filter((line) => line !== '' && !line.startsWith('#'))
}

/** The sum of a counter's samples whose labels contain every `match` fragment. */
export async function counter(port: number, name: string, ...match: string[]): Promise<number> {
  let total = 0
  for (const line of await metricLines(port)) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue
    if (!match.every((m) => line.includes(m))) continue
    total += Number(line.slice(line.lastIndexOf(' ') + 1))
  }
  return total
}

/** Polls until `check` holds; resolves with the milliseconds it took, or rejects after `timeoutMs`. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = performance.now()
  for (;;) {
    if (await check().catch(() => false)) return performance.now() - started
    if (performance.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms: ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** Resident set size of a process, in bytes (Linux). */
export async function rssBytes(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises')
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1]
  return Number(kb ?? 0) * 1024
}
