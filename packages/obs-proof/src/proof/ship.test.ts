import { readFileSync } from 'node:fs'
import { repoPath } from '@gatekeeper/testkit/paths'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { PINO_LEVEL_NAMES, streamsFor } from './ship'

// promtail itself is not packaged for Debian or npm, so its configs are checked here by structure: the
// labels they set, the pipeline they run, and that the test's shipper (ship.ts) labels lines the same way.

interface Stage {
  json?: { expressions: Record<string, string> }
  template?: { source: string; template: string }
  labels?: Record<string, unknown>
  timestamp?: { source: string; format: string; action_on_failure?: string }
  cri?: unknown
}
interface PromtailConfig {
  clients: Array<{ url: string }>
  scrape_configs: Array<{
    job_name: string
    relabel_configs: Array<{ target_label?: string; action?: string; regex?: string }>
    pipeline_stages: Stage[]
  }>
}

const CONFIGS = ['infra/promtail/promtail.yml', 'infra/promtail/promtail-kubernetes.yml']

function load(path: string): PromtailConfig {
  return parse(readFileSync(repoPath(path), 'utf8')) as PromtailConfig
}

describe.each(CONFIGS)('%s', (path) => {
  const config = load(path)
  const job = config.scrape_configs[0]

  it('pushes to a Loki push endpoint', () => {
    expect(config.clients[0]?.url).toMatch(/^http:\/\/[\w.-]+:3100\/loki\/api\/v1\/push$/)
  })

  it('keeps only authz and console-api and sets the low-cardinality labels app, instance, level', () => {
    expect(config.scrape_configs).toHaveLength(1)
    expect(job?.relabel_configs.find((r) => r.action === 'keep')?.regex).toBe('authz|console-api')
    const relabelled = (job?.relabel_configs ?? []).map((r) => r.target_label).filter((l) => l !== undefined)
    expect(relabelled.filter((l) => !l.startsWith('__')).sort()).toEqual(['app', 'instance'])
    const labelStages = (job?.pipeline_stages ?? []).filter((s) => s.labels !== undefined)
    expect(labelStages.flatMap((s) => Object.keys(s.labels ?? {}))).toEqual(['level'])
  })

  it('reads level and time from the JSON line and leaves the decision fields in it', () => {
    const stages = job?.pipeline_stages ?? []
    const json = stages.find((s) => s.json !== undefined)?.json
    expect(json?.expressions).toEqual({ level: 'level', time: 'time' })
    // console-api's ISO time and authz's epoch milliseconds each have a stage that reads them; a stage that cannot
    // parse a line's time must skip it, not fail the line.
    const timestamps = stages.flatMap((s) => (s.timestamp === undefined ? [] : [s.timestamp]))
    expect(timestamps.map((t) => t.format).sort()).toEqual(['RFC3339Nano', 'UnixMs'])
    for (const t of timestamps) expect(t).toMatchObject({ source: 'time', action_on_failure: 'skip' })
    // no stage rewrites the line (output/replace) or promotes another field to a label
    for (const s of stages) expect(Object.keys(s)[0]).toMatch(/^(json|template|labels|timestamp|cri)$/)
  })

  it('names pino numeric levels the same way as the proof shipper', () => {
    const template = (job?.pipeline_stages ?? []).find((s) => s.template !== undefined)?.template?.template ?? ''
    const mapping = Object.fromEntries(
      [...template.matchAll(/eq \.Value "(\d+)" \}\}(\w+)\{\{/g)].map((m) => [m[1], m[2]]),
    )
    expect(mapping).toEqual(PINO_LEVEL_NAMES)
  })
})

describe('streamsFor', () => {
  it('labels by app, instance and level only, at the time the line carries', () => {
    const lines = [
      JSON.stringify({ level: 'info', time: '2026-01-01T00:00:01.000Z', msg: 'authz decision', client_ip: '1.2.3.4' }),
      JSON.stringify({ level: 40, time: '2026-01-01T00:00:00.000Z', msg: 'slow' }),
      'not json',
    ]
    const streams = streamsFor('authz', 'authz-1', lines, 5n)
    expect(streams.map((s) => s.labels)).toEqual([
      { app: 'authz', instance: 'authz-1', level: 'info' },
      { app: 'authz', instance: 'authz-1', level: 'warn' },
      { app: 'authz', instance: 'authz-1' },
    ])
    expect(streams[0]?.lines[0]?.tsNs).toBe(1_767_225_601_000_000_000n)
    expect(streams[2]?.lines[0]?.tsNs).toBe(7n)
  })
})
