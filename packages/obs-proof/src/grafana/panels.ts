// Small builders for panels and targets. Positions are assigned by layout(): panels flow left to right in
// rows of 24 columns, a `row()` starts a new line.

import { type DataSourceRef, type Panel, prometheus, type Target } from './model'

export interface PanelSpec {
  type: 'timeseries' | 'stat' | 'table' | 'bargauge' | 'logs' | 'row'
  title: string
  description?: string
  width: number
  height: number
  datasource?: DataSourceRef
  targets?: Target[]
  unit?: string
  options?: Record<string, unknown>
  fieldDefaults?: Record<string, unknown>
}

const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'

/** A query for a time series panel: range query, one series per label set, named by `legend`. */
export function series(datasource: DataSourceRef, expr: string, legend?: string): Omit<Target, 'refId'> {
  return { datasource, expr, ...(legend === undefined ? {} : { legendFormat: legend }), range: true, instant: false }
}

/** A query evaluated once at the end of the range (tables, stats, top-k lists). */
export function instant(datasource: DataSourceRef, expr: string, legend?: string): Omit<Target, 'refId'> {
  return {
    datasource,
    expr,
    ...(legend === undefined ? {} : { legendFormat: legend }),
    range: false,
    instant: true,
  }
}

/** A Loki logs query (logs panel): lines, newest first. */
export function logLines(datasource: DataSourceRef, expr: string): Omit<Target, 'refId'> {
  return { datasource, expr, queryType: 'range' }
}

function withRefIds(targets: Array<Omit<Target, 'refId'>>): Target[] {
  return targets.map((t, i) => ({ refId: REF_IDS[i] ?? `Q${i}`, ...t }))
}

type Options = Partial<Pick<PanelSpec, 'description' | 'unit' | 'options' | 'fieldDefaults' | 'width' | 'height'>>

function make(
  type: PanelSpec['type'],
  title: string,
  targets: Array<Omit<Target, 'refId'>>,
  defaults: { width: number; height: number },
  opts: Options,
): PanelSpec {
  const first = targets[0]
  return {
    type,
    title,
    width: opts.width ?? defaults.width,
    height: opts.height ?? defaults.height,
    ...(first === undefined ? {} : { datasource: first.datasource }),
    targets: withRefIds(targets),
    ...(opts.description === undefined ? {} : { description: opts.description }),
    ...(opts.unit === undefined ? {} : { unit: opts.unit }),
    ...(opts.options === undefined ? {} : { options: opts.options }),
    ...(opts.fieldDefaults === undefined ? {} : { fieldDefaults: opts.fieldDefaults }),
  }
}

export function timeseries(title: string, targets: Array<Omit<Target, 'refId'>>, opts: Options = {}): PanelSpec {
  return make('timeseries', title, targets, { width: 12, height: 8 }, opts)
}

export function stat(title: string, targets: Array<Omit<Target, 'refId'>>, opts: Options = {}): PanelSpec {
  return make('stat', title, targets, { width: 6, height: 4 }, opts)
}

export function table(title: string, targets: Array<Omit<Target, 'refId'>>, opts: Options = {}): PanelSpec {
  return make('table', title, targets, { width: 12, height: 8 }, opts)
}

export function bargauge(title: string, targets: Array<Omit<Target, 'refId'>>, opts: Options = {}): PanelSpec {
  return make(
    'bargauge',
    title,
    targets,
    { width: 12, height: 8 },
    {
      ...opts,
      options: { displayMode: 'basic', orientation: 'horizontal', showUnfilled: true, ...opts.options },
    },
  )
}

export function logs(title: string, target: Omit<Target, 'refId'>, opts: Options = {}): PanelSpec {
  return make(
    'logs',
    title,
    [target],
    { width: 24, height: 10 },
    {
      ...opts,
      options: {
        showTime: true,
        wrapLogMessage: true,
        sortOrder: 'Descending',
        enableLogDetails: true,
        ...opts.options,
      },
    },
  )
}

export function row(title: string): PanelSpec {
  return { type: 'row', title, width: 24, height: 1 }
}

/** Assigns ids and grid positions: left to right, wrapping at 24 columns, rows on a line of their own. */
export function layout(specs: PanelSpec[]): Panel[] {
  const panels: Panel[] = []
  let x = 0
  let y = 0
  let lineHeight = 0
  specs.forEach((spec, index) => {
    if (spec.type === 'row' || x + spec.width > 24) {
      y += lineHeight
      x = 0
      lineHeight = 0
    }
    const gridPos = { h: spec.height, w: spec.width, x, y }
    panels.push(toPanel(spec, index + 1, gridPos))
    x += spec.width
    lineHeight = Math.max(lineHeight, spec.height)
    if (spec.type === 'row') {
      y += spec.height
      x = 0
      lineHeight = 0
    }
  })
  return panels
}

function toPanel(spec: PanelSpec, id: number, gridPos: Panel['gridPos']): Panel {
  if (spec.type === 'row') return { id, type: 'row', title: spec.title, gridPos, collapsed: false, panels: [] }
  const defaults: Record<string, unknown> = { ...spec.fieldDefaults }
  if (spec.unit !== undefined) defaults.unit = spec.unit
  return {
    id,
    type: spec.type,
    title: spec.title,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    gridPos,
    ...(spec.datasource === undefined ? {} : { datasource: spec.datasource }),
    targets: spec.targets ?? [],
    fieldConfig: { defaults, overrides: [] },
    options: spec.options ?? {},
  }
}

/**
 * Time series of a counter's per-second rate (over Grafana's `$__rate_interval`) across the series `selector` picks
 * (a dashboard's job and instance), summed by `by` (comma-separated labels), one line per label set named by those
 * labels; `filter` narrows the series. In requests per second unless `opts.unit` says otherwise.
 */
export function rateTimeseries(
  selector: string,
  title: string,
  query: { metric: string; by: string; filter?: string },
  opts: Options = {},
): PanelSpec {
  const matchers = query.filter === undefined ? selector : `${selector}, ${query.filter}`
  const expr = `sum by (${query.by}) (rate(${query.metric}{${matchers}}[$__rate_interval]))`
  const legend = query.by
    .split(',')
    .map((label) => `{{${label.trim()}}}`)
    .join(' ')
  return timeseries(title, [series(prometheus, expr, legend)], { unit: 'reqps', ...opts })
}
