import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoPath } from '@gatekeeper/testkit/paths'
import { describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'
import { ruleFiles, ruleQueries } from '../src/expressions'
import { promtool } from '../src/prometheus/promtool'

const PROM_DIR = repoPath('infra/prometheus')

describe('Prometheus rules and config', () => {
  it('pass promtool check rules', { timeout: 60_000 }, () => {
    const run = promtool(['check', 'rules', ...ruleFiles().map((f) => `rules/${f}`)], PROM_DIR)
    expect(run.output).toContain('SUCCESS')
    expect(run.status, run.output).toBe(0)
  })

  it('pass their promtool unit tests (infra/prometheus/tests/*.yml)', () => {
    const tests = readdirSync(join(PROM_DIR, 'tests')).filter((f) => f.endsWith('.yml'))
    expect(tests.length).toBeGreaterThan(0)
    const run = promtool(['test', 'rules', ...tests.map((t) => `tests/${t}`)], PROM_DIR)
    expect(run.status, run.output).toBe(0)
  }, 90_000)

  it('have a promtool unit test that expects each alert to fire', () => {
    const tested = new Set<string>()
    for (const file of readdirSync(join(PROM_DIR, 'tests'))) {
      const doc = parse(readFileSync(join(PROM_DIR, 'tests', file), 'utf8')) as {
        tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts: unknown[] }> }>
      }
      for (const t of doc.tests) {
        for (const a of t.alert_rule_test ?? []) if (a.exp_alerts.length > 0) tested.add(a.alertname)
      }
    }
    const alerts = ruleQueries().filter((r) => r.kind === 'alert')
    expect(alerts.length).toBeGreaterThanOrEqual(12)
    for (const alert of alerts) expect(tested, alert.name).toContain(alert.name)
  })

  it('link every alert to its runbook section in docs/operations.md', () => {
    const doc = readFileSync(repoPath('docs/operations.md'), 'utf8')
    const anchors = new Set(
      [...doc.matchAll(/^#+\s+(.+)$/gm)].map((m) =>
        (m[1] ?? '')
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, '')
          .replace(/ /g, '-'),
      ),
    )
    for (const file of ruleFiles()) {
      const text = readFileSync(join(PROM_DIR, 'rules', file), 'utf8')
      for (const m of text.matchAll(/alert: (\w+)[\s\S]*?runbook: docs\/operations\.md#([\w-]+)/g)) {
        expect(m[2], m[1]).toBe((m[1] ?? '').toLowerCase())
        expect(anchors, `docs/operations.md has no section "${m[1]}"`).toContain(m[2])
      }
    }
  })

  it('pass promtool check config with the shipped rule files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gk-promcfg-'))
    try {
      const config = parse(readFileSync(join(PROM_DIR, 'prometheus.yml'), 'utf8')) as Record<string, unknown>
      config.rule_files = [join(PROM_DIR, 'rules', '*.yml')]
      writeFileSync(join(dir, 'prometheus.yml'), stringify(config))
      const run = promtool(['check', 'config', 'prometheus.yml'], dir)
      expect(run.status, run.output).toBe(0)
      expect(run.output).toMatch(/SUCCESS: \d+ rules found/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
