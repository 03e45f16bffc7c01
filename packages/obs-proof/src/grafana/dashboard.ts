import { type Dashboard, type DataSourceRef, prometheus, type TemplateVariable } from './model'
import { layout, type PanelSpec } from './panels'

/** A multi-select variable over a label's values, "All" meaning the regex `.*`. */
function labelVariable(name: string, label: string, datasource: DataSourceRef, selector: string): TemplateVariable {
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

type DashboardInput = {
  uid: string
  title: string
  description: string
  variables: TemplateVariable[]
  panels: PanelSpec[]
}

/** What selects one Prometheus job's series on its dashboard: the instances its `instance` variable has picked. */
export function jobSelector(job: string): string {
  return `job="${job}", instance=~"$instance"`
}

/** A dashboard over one Prometheus job's metrics, whose `instance` variable lists that job's instances. */
export function jobDashboard(job: string, input: Omit<DashboardInput, 'variables'>): Dashboard {
  return dashboard({ ...input, variables: [labelVariable('instance', 'instance', prometheus, `up{job="${job}"}`)] })
}

export function dashboard(input: DashboardInput): Dashboard {
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
