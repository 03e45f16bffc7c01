// What promtail does with a container's stdout (infra/promtail/promtail.yml): one Loki entry per line,
// stream labels app / instance / level, level read from the JSON line and pino's numeric levels named.
// ship.test.ts checks this mapping against the template in the shipped promtail config.

import type { LokiStream } from './loki-client'

export const PINO_LEVEL_NAMES: Readonly<Record<string, string>> = {
  '10': 'trace',
  '20': 'debug',
  '30': 'info',
  '40': 'warn',
  '50': 'error',
  '60': 'fatal',
}

interface Parsed {
  level?: string
  timeNs?: bigint
}

function parseLine(line: string): Parsed {
  try {
    const json = JSON.parse(line) as { level?: unknown; time?: unknown }
    const raw = json.level === undefined ? undefined : String(json.level)
    // pino writes epoch milliseconds by default (authz) or an ISO string (isoTime, console-api)
    const ms =
      typeof json.time === 'string' ? Date.parse(json.time) : typeof json.time === 'number' ? json.time : Number.NaN
    return {
      ...(raw === undefined ? {} : { level: PINO_LEVEL_NAMES[raw] ?? raw }),
      ...(Number.isNaN(ms) ? {} : { timeNs: BigInt(ms) * 1_000_000n }),
    }
  } catch {
    return {}
  }
}

/**
 * Groups a process's stdout lines into Loki streams the way the shipped promtail pipeline labels them, each
 * entry at the time in its JSON `time` field (promtail's timestamp stage), else at `fallbackNs`.
 */
export function streamsFor(app: string, instance: string, lines: string[], fallbackNs: bigint): LokiStream[] {
  const byLevel = new Map<string, LokiStream>()
  lines.forEach((line, i) => {
    const { level, timeNs } = parseLine(line)
    const labels: Record<string, string> = level === undefined ? { app, instance } : { app, instance, level }
    const key = level ?? ''
    const stream = byLevel.get(key) ?? { labels, lines: [] }
    // + i keeps entries with the same millisecond distinct and in order
    stream.lines.push({ tsNs: (timeNs ?? fallbackNs) + BigInt(i), line })
    byLevel.set(key, stream)
  })
  for (const stream of byLevel.values()) stream.lines.sort((a, b) => (a.tsNs < b.tsNs ? -1 : a.tsNs > b.tsNs ? 1 : 0))
  return [...byLevel.values()]
}
