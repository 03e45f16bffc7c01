// console-api: the control plane's requests, admin actions, its calls to Aegis and Aegis webhooks.
// Metric names: apps/console-api/src/metrics.ts.

import { dashboard, labelVariable } from './dashboard'
import type { Dashboard } from './model'
import { prometheus as prom } from './model'
import { bargauge, instant, row, series, stat, table, timeseries } from './panels'

const SEL = 'job="gatekeeper-console-api", instance=~"$instance"'
const RATE = '$__rate_interval'

export function consoleApi(): Dashboard {
  return dashboard({
    uid: 'gatekeeper-console-api',
    title: 'Gatekeeper / console-api',
    description: 'The control plane: admin API traffic and actions, Aegis calls, Aegis webhooks.',
    variables: [labelVariable('instance', 'instance', prom, 'up{job="gatekeeper-console-api"}')],
    panels: [
      row('Requests'),
      timeseries(
        'Requests/s by route and status',
        [
          series(
            prom,
            `sum by (route, status) (rate(console_http_requests_total{${SEL}}[${RATE}]))`,
            '{{route}} {{status}}',
          ),
        ],
        { unit: 'reqps' },
      ),
      timeseries(
        'Latency p95 by route',
        [
          series(
            prom,
            `histogram_quantile(0.95, sum by (le, route) (rate(console_http_request_duration_seconds_bucket{${SEL}}[${RATE}])))`,
            '{{route}}',
          ),
        ],
        { unit: 's' },
      ),
      stat('Instances up', [instant(prom, 'sum(up{job="gatekeeper-console-api"})')]),
      stat(
        'Server errors (5xx) share',
        [
          instant(
            prom,
            `sum(rate(console_http_requests_total{${SEL}, status=~"5.."}[${RATE}])) / sum(rate(console_http_requests_total{${SEL}}[${RATE}]))`,
          ),
        ],
        { unit: 'percentunit', description: 'Includes 503s answered while Aegis is unreachable.' },
      ),
      stat(
        'Admin token cache hit ratio',
        [
          instant(
            prom,
            `sum(rate(console_admin_auth_cache_total{${SEL}, result="hit"}[${RATE}])) / sum(rate(console_admin_auth_cache_total{${SEL}}[${RATE}]))`,
          ),
        ],
        { unit: 'percentunit' },
      ),
      stat('Admin writes in range', [instant(prom, `sum(increase(console_admin_actions_total{${SEL}}[$__range]))`)]),

      row('Admin actions'),
      timeseries(
        'Admin actions/s',
        [series(prom, `sum by (action) (rate(console_admin_actions_total{${SEL}}[${RATE}]))`, '{{action}}')],
        { unit: 'reqps' },
      ),
      bargauge('Admin actions in range', [
        instant(prom, `sum by (action) (increase(console_admin_actions_total{${SEL}}[$__range]))`, '{{action}}'),
      ]),

      row('Aegis'),
      timeseries(
        'Aegis call latency p50 / p95',
        [
          series(
            prom,
            `histogram_quantile(0.5, sum by (le, call) (rate(console_aegis_request_duration_seconds_bucket{${SEL}}[${RATE}])))`,
            'p50 {{call}}',
          ),
          series(
            prom,
            `histogram_quantile(0.95, sum by (le, call) (rate(console_aegis_request_duration_seconds_bucket{${SEL}}[${RATE}])))`,
            'p95 {{call}}',
          ),
        ],
        { unit: 's', width: 8 },
      ),
      timeseries(
        'Aegis calls/s by outcome',
        [
          series(
            prom,
            `sum by (call, outcome) (rate(console_aegis_request_duration_seconds_count{${SEL}}[${RATE}]))`,
            '{{call}} {{outcome}}',
          ),
        ],
        { unit: 'reqps', width: 8 },
      ),
      timeseries(
        'Aegis errors/s by reason',
        [
          series(
            prom,
            `sum by (call, reason) (rate(console_aegis_errors_total{${SEL}}[${RATE}]))`,
            '{{call}} {{reason}}',
          ),
        ],
        { unit: 'reqps', width: 8 },
      ),

      row('Webhooks'),
      timeseries(
        'Aegis webhooks/s by outcome',
        [series(prom, `sum by (outcome) (rate(console_webhook_events_total{${SEL}}[${RATE}]))`, '{{outcome}}')],
        { unit: 'reqps' },
      ),
      table('Webhook outcomes in range', [
        instant(prom, `sum by (outcome) (increase(console_webhook_events_total{${SEL}}[$__range]))`),
      ]),
    ],
  })
}
