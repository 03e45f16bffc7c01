import type { Measurement } from './measure'
import type { PropagationResult } from './propagation'

// What a run produced: one row per measured scenario, the scale figures, propagation, and the targets of issue
// #9 checked against them. Ratios are taken within this one run only (the machine's absolute speed varies).

export type Group = 'direct' | 'nginx' | 'scale' | 'multicore' | 'tracking'

export interface Row {
  key: string
  group: Group
  label: string
  /** The row its ratio is taken against. */
  vs: string
  /** With several rounds: the median of each figure (counts summed), the ratio the median of the rounds' ratios. */
  measurement?: Measurement
  ratio?: number
  /**
   * Paired runs: the reference (`vs`) measured again just before this row, which the ratio is taken against, so a
   * machine whose speed drifts over minutes (a shared VM) moves both sides of a ratio alike.
   */
  reference?: Measurement
  skipped?: string
  /** Every round's own measurement and ratio (one round: absent). */
  rounds?: Array<{ measurement: Measurement; ratio?: number; reference?: Measurement }>
}

export interface ScaleInfo {
  routes: number
  clients: number
  credentials: number
  permissions: number
  snapshotLoadMs: number
  /** authz resident memory, MB: once loaded and idle, and after its measured run. */
  rssLoadedMB: number | undefined
  rssAfterRunMB: number | undefined
}

export interface Target {
  name: string
  value: string
  goal: string
  met: boolean | undefined
}

export interface BenchReport {
  mode: 'bench' | 'smoke'
  startedAt: string
  finishedAt: string
  command: string
  machine: { nproc: number; cpu: string; node: string; loadBefore: number[]; loadAfter: number[] }
  load: { threads: number; connections: number; seconds: number; warmupSeconds: number; rounds: number }
  rows: Row[]
  scale: { small?: ScaleInfo; large?: ScaleInfo }
  propagation?: PropagationResult
  targets: Target[]
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

function medianOf(ms: readonly Measurement[], pick: (m: Measurement) => number | undefined): number | undefined {
  const values = ms.map(pick).filter((v): v is number => v !== undefined)
  return values.length === 0 ? undefined : median(values)
}

function combined(ms: readonly Measurement[]): Measurement {
  const counts: Record<string, number> = {}
  for (const m of ms) for (const [k, v] of Object.entries(m.authz ?? {})) counts[k] = (counts[k] ?? 0) + v
  const out: Measurement = {
    rps: medianOf(ms, (m) => m.rps) ?? 0,
    p50Ms: medianOf(ms, (m) => m.p50Ms) ?? 0,
    p99Ms: medianOf(ms, (m) => m.p99Ms) ?? 0,
    requests: ms.reduce((n, m) => n + m.requests, 0),
    unexpected: ms.reduce((n, m) => n + m.unexpected, 0),
    socketErrors: ms.reduce((n, m) => n + m.socketErrors, 0),
  }
  const cpu = medianOf(ms, (m) => m.serverCpuUs)
  if (cpu !== undefined) out.serverCpuUs = cpu
  const redis = medianOf(ms, (m) => m.redisScriptUs)
  if (redis !== undefined) out.redisScriptUs = redis
  if (ms.some((m) => m.authz !== undefined)) out.authz = counts
  const wrapped = ms.find((m) => m.presigned !== undefined && m.presigned.sent > m.presigned.total)
  const presigned = wrapped?.presigned ?? ms.find((m) => m.presigned !== undefined)?.presigned
  if (presigned !== undefined) out.presigned = presigned
  const floodRps = medianOf(ms, (m) => m.flood?.rps)
  if (floodRps !== undefined)
    out.flood = { rps: floodRps, unexpected: ms.reduce((n, m) => n + (m.flood?.unexpected ?? 0), 0) }
  return out
}

/** Rounds of the same plans, each with its own ratios, into one row per key. */
export function combineRounds(rounds: readonly Row[][]): Row[] {
  const first = rounds[0] ?? []
  if (rounds.length === 1) return [...first]
  return first.map((row) => {
    const same = rounds.map((r) => r.find((x) => x.key === row.key)).filter((x): x is Row => x !== undefined)
    const samples = same.flatMap((x) =>
      x.measurement === undefined
        ? []
        : [
            {
              measurement: x.measurement,
              ...(x.ratio === undefined ? {} : { ratio: x.ratio }),
              ...(x.reference === undefined ? {} : { reference: x.reference }),
            },
          ],
    )
    if (samples.length === 0) return row
    const ratios = samples.flatMap((x) => (x.ratio === undefined ? [] : [x.ratio]))
    const out: Row = { ...row, measurement: combined(samples.map((x) => x.measurement)), rounds: samples }
    const references = samples.flatMap((x) => (x.reference === undefined ? [] : [x.reference]))
    if (references.length > 0) out.reference = combined(references)
    if (ratios.length > 0) out.ratio = median(ratios)
    return out
  })
}

/** Each row's ratio against its paired reference when it has one, else against the `vs` row of the same round. */
export function withRatios(rows: Row[]): Row[] {
  const byKey = new Map(rows.map((r) => [r.key, r]))
  return rows.map((row) => {
    const base = row.reference ?? byKey.get(row.vs)?.measurement
    if (row.measurement === undefined || base === undefined || base.rps === 0) return row
    return { ...row, ratio: row.measurement.rps / base.rps }
  })
}

const compact = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(0)}k` : String(n))

const fmt = (n: number | undefined, digits: number) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits))

export function formatTable(report: BenchReport): string {
  const header = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'ratio', 'CPU µs/req', 'Redis µs/req', 'vs', 'note']
  const lines: string[][] = [header]
  for (const row of report.rows) {
    const m = row.measurement
    const notes: string[] = []
    if (row.skipped !== undefined) notes.push(`skipped: ${row.skipped}`)
    if (m !== undefined && m.unexpected > 0) notes.push(`${m.unexpected} unexpected statuses`)
    if (m !== undefined && m.socketErrors > 0) notes.push(`${m.socketErrors} socket errors`)
    if (m?.presigned !== undefined && m.presigned.sent > m.presigned.total) notes.push('pre-signed list wrapped')
    if (m?.flood !== undefined) {
      notes.push(
        `flood ${m.flood.rps.toFixed(0)} req/s${m.flood.unexpected > 0 ? ` (${m.flood.unexpected} unexpected)` : ''}`,
      )
    }
    if (m?.authz !== undefined) {
      const counted = Object.entries(m.authz).map(([k, v]) => `${k} ${compact(v)}`)
      if (counted.length > 0) notes.push(`authz: ${counted.join(', ')}`)
    }
    lines.push([
      row.label,
      m === undefined ? '-' : m.rps.toFixed(0),
      fmt(m?.p50Ms, 2),
      fmt(m?.p99Ms, 2),
      row.ratio === undefined ? '-' : `${(row.ratio * 100).toFixed(0)}%`,
      fmt(m?.serverCpuUs, 1),
      m?.redisScriptUs === undefined || m.redisScriptUs < 0.05 ? '-' : m.redisScriptUs.toFixed(1),
      row.vs === row.key ? '' : row.vs,
      notes.join('; '),
    ])
  }
  const widths = header.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)))
  const render = (l: string[]) =>
    `| ${l.map((cell, i) => (i >= 1 && i <= 6 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join(' | ')} |`
  const out = [
    render(header),
    `|${widths.map((w, i) => (i >= 1 && i <= 6 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`,
  ]
  for (const l of lines.slice(1)) out.push(render(l))
  return out.join('\n')
}

export function formatSummary(report: BenchReport): string {
  const out: string[] = []
  for (const [name, s] of Object.entries(report.scale)) {
    if (s === undefined) continue
    out.push(
      `scale ${name}: ${s.routes} routes, ${s.clients} clients, ${s.credentials} credentials, ${s.permissions} permissions; ` +
        `snapshot load ${s.snapshotLoadMs.toFixed(0)} ms; authz RSS ${fmt(s.rssLoadedMB, 0)} MB loaded, ${fmt(s.rssAfterRunMB, 0)} MB after its run`,
    )
  }
  const p = report.propagation
  if (p !== undefined) {
    out.push(
      `propagation over ${p.changes} changes x ${p.instances.length} instances: p50 ${fmt(p.p50Ms, 1)} ms, p99 ${fmt(p.p99Ms, 1)} ms, max ${fmt(p.maxMs, 1)} ms, missed ${p.missed}`,
    )
    for (const i of p.instances) {
      out.push(`  ${i.name}: p50 ${fmt(i.p50Ms, 1)} ms, p99 ${fmt(i.p99Ms, 1)} ms, max ${fmt(i.maxMs, 1)} ms`)
    }
  }
  if (report.targets.length > 0) {
    out.push('targets:')
    for (const t of report.targets) {
      const verdict = t.met === undefined ? 'n/a ' : t.met ? 'MET ' : 'MISS'
      out.push(`  [${verdict}] ${t.name}: ${t.value} (goal ${t.goal})`)
    }
  }
  return out.join('\n')
}
