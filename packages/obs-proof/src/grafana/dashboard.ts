import type { Dashboard, DataSourceRef, TemplateVariable } from './model'
import { layout, type PanelSpec } from './panels'

/** A multi-select variable over a label's values, "All" meaning the regex `.*`. */
export function labelVariable(
  name: string,
  label: string,
  datasource: DataSourceRef,
  selector: string,
): TemplateVariable {
  const definition = `label_values(${selector}, ${label})`
  return {
    name,
    label: name,
    type: 'query',
    datasource,
    query: { query: definition, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    definition,
    refresh: 2,
    includeAll: true,
    multi: true,
    allValue: '.*',
    current: { text: ['All'], value: ['$__all'] },
    sort: 1,
  }
}

export function dashboard(input: {
  uid: string
  title: string
  description: string
  variables: TemplateVariable[]
  panels: PanelSpec[]
}): Dashboard {
  return {
    uid: input.uid,
    title: input.title,
    description: input.description,
    tags: ['gatekeeper'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    editable: true,
    graphTooltip: 1,
    refresh: '30s',
    time: { from: 'now-3h', to: 'now' },
    templating: { list: input.variables },
    annotations: { list: [] },
    links: [{ title: 'Gatekeeper', type: 'dashboards', tags: ['gatekeeper'], asDropdown: true }],
    panels: layout(input.panels),
  }
}
