// Audit log panels fed by Loki: authz's one line per decision (`authz decision`) and console-api's request
// lines. Stream labels are the low-cardinality ones promtail sets (app, instance, level); everything else is
// read from the JSON line with `| json`. Kept to LogQL that Loki 2.4 and later all accept.

import { dashboard } from './dashboard'
import type { Dashboard } from './model'
import { loki } from './model'
import { instant, logLines, logs, row, series, table, timeseries } from './panels'

const DECISIONS = '{app="authz"} |= "authz decision" | json'
const DENIALS = `${DECISIONS} | allowed="false"`
const ADMIN_WRITES = '{app="console-api"} |= "request" | json | admin!="" | method=~"POST|PUT|PATCH|DELETE"'

export function auditLog(): Dashboard {
  return dashboard({
    uid: 'gatekeeper-audit',
    title: 'Gatekeeper / audit log',
    description: 'Decisions and admin changes from the JSON audit lines in Loki.',
    variables: [],
    panels: [
      row('Denials'),
      timeseries('Decisions by outcome (lines/interval)', [
        series(loki, `sum by (allowed) (count_over_time(${DECISIONS} [$__interval]))`, 'allowed={{allowed}}'),
      ]),
      timeseries('Denials by reason', [
        series(loki, `sum by (reason) (count_over_time(${DENIALS} [$__interval]))`, '{{reason}}'),
      ]),
      table(
        'Denials by client',
        [instant(loki, `topk(20, sum by (client_id, client_name) (count_over_time(${DENIALS} [$__range])))`)],
        { description: 'Unauthenticated denials have no client id: they show as an empty client.' },
      ),
      table('Denials by client IP', [
        instant(loki, `topk(20, sum by (client_ip) (count_over_time(${DENIALS} [$__range])))`),
      ]),
      table(
        'Denied paths by domain',
        [instant(loki, `topk(20, sum by (domain, path, reason) (count_over_time(${DENIALS} [$__range])))`)],
        { width: 24 },
      ),
      logs('Latest denials', logLines(loki, DENIALS)),

      row('Admin changes'),
      logs('Latest admin changes', logLines(loki, ADMIN_WRITES), {
        description:
          'Writes through the admin API, with the admin who made them (the full record is the audit_log table).',
      }),
      timeseries('Admin writes by route', [
        series(loki, `sum by (route) (count_over_time(${ADMIN_WRITES} [$__interval]))`, '{{route}}'),
      ]),
      logs('Aegis webhooks', logLines(loki, '{app="console-api"} |= "aegis webhook" | json'), { width: 12 }),
    ],
  })
}
