import { readFileSync } from 'node:fs'
import { repoPath } from '@gatekeeper/testkit/paths'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { dashboardFiles, dashboardQueries, readDashboard, substituteGrafanaVariables } from '../expressions'
import { parseLogql } from '../logql/parse'
import { DASHBOARDS } from './all'

interface Provisioned {
  datasources: Array<{ uid: string; type: string }>
}

describe('Grafana dashboards', () => {
  it('are exactly what the generator in src/grafana produces (run `pnpm dashboards` after editing)', () => {
    expect(dashboardFiles()).toEqual(Object.keys(DASHBOARDS).sort())
    for (const [file, build] of Object.entries(DASHBOARDS)) {
      expect(readDashboard(file), file).toEqual(JSON.parse(JSON.stringify(build())))
    }
  })

  it('name only the provisioned datasources, by uid and type', () => {
    const provisioned = parse(
      readFileSync(repoPath('infra/grafana/provisioning/datasources/gatekeeper.yml'), 'utf8'),
    ) as Provisioned
    const known = new Map(provisioned.datasources.map((d) => [d.uid, d.type]))
    for (const file of dashboardFiles()) {
      const text = readFileSync(repoPath('infra/grafana/dashboards', file), 'utf8')
      for (const m of text.matchAll(/"datasource":\s*\{\s*"type":\s*"(\w+)",\s*"uid":\s*"([^"]+)"/g)) {
        expect(known.get(m[2] ?? ''), `${file}: datasource ${m[2]}`).toBe(m[1])
      }
    }
  })

  it('have unique uids, unique panel ids, and panels inside the 24-column grid', () => {
    const uids = new Set<string>()
    for (const file of dashboardFiles()) {
      const dash = readDashboard(file) as {
        uid: string
        panels: Array<{ id: number; gridPos: { x: number; w: number } }>
      }
      expect(uids.has(dash.uid)).toBe(false)
      uids.add(dash.uid)
      const ids = dash.panels.map((p) => p.id)
      expect(new Set(ids).size).toBe(ids.length)
      for (const p of dash.panels) expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24)
    }
  })

  it('cover what operators asked for: every authz and console-api metric family appears in some panel', () => {
    const all = dashboardQueries()
      .map((q) => q.expr)
      .join('\n')
    for (const family of [
      'gatekeeper_authz_decisions_total',
      'gatekeeper_authz_decision_duration_seconds_bucket',
      'gatekeeper_authz_replays_blocked_total',
      'gatekeeper_authz_fail_open_total',
      'gatekeeper_authz_snapshot_version',
      'gatekeeper_authz_snapshot_age_seconds',
      'gatekeeper_authz_notification_lag_seconds_bucket',
      'gatekeeper_authz_ready',
      'console_admin_actions_total',
      'console_aegis_request_duration_seconds_bucket',
      'console_aegis_errors_total',
      'console_webhook_events_total',
    ]) {
      expect(all, family).toContain(family)
    }
  })

  it('hold LogQL that the Grafana LogQL grammar accepts, selecting streams by the promtail labels only', () => {
    const logql = dashboardQueries().filter((q) => q.language === 'logql')
    expect(logql.length).toBeGreaterThan(5)
    for (const q of logql) {
      const expr = substituteGrafanaVariables(q.expr, { rangeSeconds: 600 })
      expect(() => parseLogql(expr), `${q.dashboard} / ${q.panel}`).not.toThrow()
      for (const selector of q.expr.matchAll(/\{([^}]*)\}/g)) {
        for (const m of (selector[1] ?? '').matchAll(/(\w+)\s*(=~|!~|!=|=)/g)) {
          expect(['app', 'instance', 'level'], q.expr).toContain(m[1])
        }
      }
    }
  })

  it('rejects LogQL the grammar does not accept (the check above can fail)', () => {
    expect(() => parseLogql('{app="authz" | json')).toThrow(/syntax error/)
    expect(() => parseLogql('sum by (x) (count_over_time({app="authz"}))')).toThrow(/syntax error/)
  })
})
