// console-api: the control plane's requests, admin actions, its calls to Aegis and Aegis webhooks.
// Metric names: apps/console-api/src/metrics.ts.

import { jobDashboard, jobSelector } from './dashboard'
import type { Dashboard } from './model'
import { prometheus as prom } from './model'
import { bargauge, instant, rateTimeseries, row, series, stat, table, timeseries } from './panels'

const JOB = 'gatekeeper-console-api'
const SEL = jobSelector(JOB)
const RATE = '$__rate_interval'

export function consoleApi(): Dashboard {
  return jobDashboard(JOB, {
    uid: 'gatekeeper-console-api',
    title: 'Gatekeeper / console-api',
    description: 'The control plane: admin API traffic and actions, Aegis calls, Aegis webhooks.',
    panels: [
      row('Requests'),
      rateTimeseries(SEL, 'Requests/s by route and status', {
        metric: 'console_http_requests_total',
        by: 'route, status',
      }),
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
      rateTimeseries(SEL, 'Admin actions/s', { metric: 'console_admin_actions_total', by: 'action' }),
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
      rateTimeseries(
        SEL,
        'Aegis calls/s by outcome',
        { metric: 'console_aegis_request_duration_seconds_count', by: 'call, outcome' },
        { width: 8 },
      ),
      rateTimeseries(
        SEL,
        'Aegis errors/s by reason',
        { metric: 'console_aegis_errors_total', by: 'call, reason' },
        { width: 8 },
      ),

      row('Webhooks'),
      rateTimeseries(SEL, 'Aegis webhooks/s by outcome', { metric: 'console_webhook_events_total', by: 'outcome' }),
      table('Webhook outcomes in range', [
        instant(prom, `sum by (outcome) (increase(console_webhook_events_total{${SEL}}[$__range]))`),
      ]),
    ],
  })
}
