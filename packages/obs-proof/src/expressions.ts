// Every query the shipped observability config runs: PromQL in the Grafana dashboards (panels and variables)
// and in the Prometheus rules, LogQL in the dashboards. The proof test evaluates each one.

import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { repoPath } from '@gatekeeper/testkit/paths'
import { parse } from 'yaml'

export interface DashboardQuery {
  dashboard: string
  panel: string
  language: 'promql' | 'logql'
  expr: string
  /** Tables, stats and top-k lists: evaluated once at the end of the range. */
  instant: boolean
}

export interface RuleQuery {
  file: string
  group: string
  /** `alert: X` or `record: X` */
  name: string
  kind: 'alert' | 'record'
  expr: string
}

interface RawTarget {
  expr?: unknown
  instant?: unknown
  datasource?: { type?: unknown }
}
interface RawPanel {
  title?: unknown
  datasource?: { type?: unknown }
  targets?: RawTarget[]
  panels?: RawPanel[]
}
interface RawDashboard {
  title?: unknown
  panels?: RawPanel[]
  templating?: { list?: Array<{ name?: unknown; datasource?: { type?: unknown }; query?: unknown }> }
}

const DASHBOARD_DIR = 'infra/grafana/dashboards'
export const RULES_DIR = 'infra/prometheus/rules'

export function dashboardFiles(): string[] {
  return readdirSync(repoPath(DASHBOARD_DIR))
    .filter((f) => f.endsWith('.json'))
    .sort()
}

export function readDashboard(file: string): RawDashboard {
  return JSON.parse(readFileSync(join(repoPath(DASHBOARD_DIR), file), 'utf8')) as RawDashboard
}

function language(type: unknown): 'promql' | 'logql' {
  if (type === 'prometheus') return 'promql'
  if (type === 'loki') return 'logql'
  throw new Error(`unexpected datasource type ${String(type)}`)
}

function* flatPanels(panels: RawPanel[] | undefined): Generator<RawPanel> {
  for (const panel of panels ?? []) {
    yield panel
    yield* flatPanels(panel.panels)
  }
}

export function dashboardQueries(): DashboardQuery[] {
  const out: DashboardQuery[] = []
  for (const file of dashboardFiles()) {
    const dash = readDashboard(file)
    for (const panel of flatPanels(dash.panels)) {
      for (const target of panel.targets ?? []) {
        if (typeof target.expr !== 'string')
          throw new Error(`${file}: panel ${String(panel.title)} has a target without expr`)
        out.push({
          dashboard: file,
          panel: String(panel.title),
          language: language(target.datasource?.type ?? panel.datasource?.type),
          expr: target.expr,
          instant: target.instant === true,
        })
      }
    }
    for (const variable of dash.templating?.list ?? []) {
      const query = variable.query
      const text = typeof query === 'string' ? query : (query as { query?: unknown } | undefined)?.query
      if (typeof text !== 'string') continue
      out.push({
        dashboard: file,
        panel: `variable $${String(variable.name)}`,
        language: language(variable.datasource?.type),
        expr: text,
        instant: true,
      })
    }
  }
  return out
}

interface RawRuleFile {
  groups?: Array<{ name?: unknown; rules?: Array<{ alert?: unknown; record?: unknown; expr?: unknown }> }>
}

export function ruleFiles(): string[] {
  return readdirSync(repoPath(RULES_DIR))
    .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
    .sort()
}

export function ruleQueries(): RuleQuery[] {
  const out: RuleQuery[] = []
  for (const file of ruleFiles()) {
    const doc = parse(readFileSync(join(repoPath(RULES_DIR), file), 'utf8')) as RawRuleFile
    for (const group of doc.groups ?? []) {
      for (const rule of group.rules ?? []) {
        const kind = typeof rule.alert === 'string' ? 'alert' : 'record'
        const name = String(kind === 'alert' ? rule.alert : rule.record)
        if (typeof rule.expr !== 'string') throw new Error(`${file}: rule ${name} has no expr`)
        out.push({ file, group: String(group.name), name, kind, expr: rule.expr.trim() })
      }
    }
  }
  return out
}

/**
 * Grafana's built-in variables, replaced the way Grafana would for a short range: the proof's data spans a
 * few minutes and Prometheus scrapes every second. `$instance` is "All" (`.*`).
 */
export function substituteGrafanaVariables(expr: string, range: { rangeSeconds: number }): string {
  return expr
    .replaceAll('$__rate_interval', '30s')
    .replaceAll('$__interval', '15s')
    .replaceAll('$__range', `${Math.max(60, Math.ceil(range.rangeSeconds))}s`)
    .replaceAll('$instance', '.*')
}

/** `label_values(<selector>, <label>)`: Grafana's variable query, not PromQL; its selector is. */
export function labelValuesSelector(expr: string): string | undefined {
  const m = /^label_values\((.*),\s*[A-Za-z_][A-Za-z0-9_]*\)$/s.exec(expr.trim())
  return m?.[1]
}
