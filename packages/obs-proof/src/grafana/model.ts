// The slice of Grafana's dashboard JSON model these dashboards use (schemaVersion 39, Grafana 10/11).

const PROMETHEUS_UID = 'gatekeeper-prometheus'
const LOKI_UID = 'gatekeeper-loki'

export interface DataSourceRef {
  type: 'prometheus' | 'loki'
  uid: string
}

export const prometheus: DataSourceRef = { type: 'prometheus', uid: PROMETHEUS_UID }
export const loki: DataSourceRef = { type: 'loki', uid: LOKI_UID }

export interface Target {
  refId: string
  datasource: DataSourceRef
  expr: string
  legendFormat?: string
  instant?: boolean
  range?: boolean
  queryType?: 'range' | 'instant'
}

export interface GridPos {
  h: number
  w: number
  x: number
  y: number
}

export interface Panel {
  id: number
  type: string
  title: string
  description?: string
  gridPos: GridPos
  datasource?: DataSourceRef
  targets?: Target[]
  fieldConfig?: { defaults: Record<string, unknown>; overrides: unknown[] }
  options?: Record<string, unknown>
  collapsed?: boolean
  panels?: Panel[]
}

export interface TemplateVariable {
  name: string
  label: string
  type: 'query'
  datasource: DataSourceRef
  query: { query: string; refId: string }
  definition: string
  refresh: 2
  includeAll: true
  multi: true
  allValue: '.*'
  current: { text: string[]; value: string[] }
  sort: 1
}

export interface Dashboard {
  uid: string
  title: string
  description: string
  tags: string[]
  timezone: 'browser'
  schemaVersion: 39
  version: 1
  editable: true
  graphTooltip: 1
  refresh: string
  time: { from: string; to: 'now' }
  templating: { list: TemplateVariable[] }
  annotations: { list: unknown[] }
  links: Array<{ title: string; type: 'dashboards'; tags: string[]; asDropdown: boolean }>
  panels: Panel[]
}
