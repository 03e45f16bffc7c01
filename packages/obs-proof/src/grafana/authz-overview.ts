// authz overview: traffic and decisions, latency against the SLO, rate limits and replays, Redis, the config
// snapshot, and per-instance health. Metric names: apps/authz/src/metrics.ts.

import { jobDashboard, jobSelector } from './dashboard'
import type { Dashboard } from './model'
import { prometheus as prom } from './model'
import { bargauge, instant, rateTimeseries, row, series, stat, table, timeseries } from './panels'

const JOB = 'gatekeeper-authz'
const SEL = jobSelector(JOB)
const RATE = '$__rate_interval'

function quantile(q: number, metric: string, by = 'le'): string {
  return `histogram_quantile(${q}, sum by (${by}) (rate(${metric}_bucket{${SEL}}[${RATE}])))`
}

export function authzOverview(): Dashboard {
  return jobDashboard(JOB, {
    uid: 'gatekeeper-authz',
    title: 'Gatekeeper / authz overview',
    description: 'The data plane: decisions, latency against the 5 ms SLO, rate limits, Redis, config snapshot.',
    panels: [
      row('Decisions'),
      rateTimeseries(SEL, 'Decisions/s by result', { metric: 'gatekeeper_authz_decisions_total', by: 'result' }),
      rateTimeseries(SEL, 'Decisions/s by reason', { metric: 'gatekeeper_authz_decisions_total', by: 'reason' }),
      stat('Decisions/s', [instant(prom, `sum(rate(gatekeeper_authz_decisions_total{${SEL}}[${RATE}]))`)], {
        unit: 'reqps',
      }),
      stat(
        'Denied share',
        [
          instant(
            prom,
            `sum(rate(gatekeeper_authz_decisions_total{${SEL}, result="denied"}[${RATE}])) / sum(rate(gatekeeper_authz_decisions_total{${SEL}}[${RATE}]))`,
          ),
        ],
        { unit: 'percentunit' },
      ),
      stat(
        'Unmatched requests/s',
        [instant(prom, `sum(rate(gatekeeper_authz_decisions_total{${SEL}, route="unmatched"}[${RATE}]))`)],
        { unit: 'reqps', description: 'Requests no configured route matches (reason no_route_match).' },
      ),
      stat('Instances up', [instant(prom, 'sum(up{job="gatekeeper-authz"})')]),
      bargauge(
        'Top routes (requests in range)',
        [
          instant(
            prom,
            `topk(10, sum by (route) (increase(gatekeeper_authz_decisions_total{${SEL}}[$__range])))`,
            '{{route}}',
          ),
        ],
        { description: 'Route ids; "unmatched" counts requests that matched no route.' },
      ),
      table('Top denials by route and reason (in range)', [
        instant(
          prom,
          `topk(10, sum by (route, reason) (increase(gatekeeper_authz_decisions_total{${SEL}, result="denied"}[$__range])))`,
        ),
      ]),

      row('Latency'),
      timeseries(
        'Decision latency p50 / p95 / p99',
        [
          series(prom, quantile(0.5, 'gatekeeper_authz_decision_duration_seconds'), 'p50'),
          series(prom, quantile(0.95, 'gatekeeper_authz_decision_duration_seconds'), 'p95'),
          series(prom, quantile(0.99, 'gatekeeper_authz_decision_duration_seconds'), 'p99'),
        ],
        { unit: 's' },
      ),
      timeseries(
        'Share of decisions within 5 ms (SLO 99%)',
        [
          series(
            prom,
            `sum(rate(gatekeeper_authz_decision_duration_seconds_bucket{${SEL}, le="0.005"}[${RATE}])) / sum(rate(gatekeeper_authz_decision_duration_seconds_count{${SEL}}[${RATE}]))`,
            'within 5 ms',
          ),
        ],
        { unit: 'percentunit', width: 6 },
      ),
      stat('SLO burn rate (1h)', [instant(prom, 'gatekeeper_authz:decision_latency_slo_errors:ratio_rate1h / 0.01')], {
        description:
          'How fast the monthly error budget (1% of decisions slower than 5 ms) burns: 1 = exactly on budget.',
        width: 6,
        height: 8,
      }),

      row('Rate limits, replays, Redis'),
      rateTimeseries(
        SEL,
        'Rate-limited requests/s by route',
        { metric: 'gatekeeper_authz_decisions_total', by: 'route', filter: 'reason="rate_limit_exceeded"' },
        { width: 8 },
      ),
      timeseries(
        'Replays blocked/s',
        [series(prom, `sum(rate(gatekeeper_authz_replays_blocked_total{${SEL}}[${RATE}]))`, 'replays blocked')],
        { unit: 'reqps', width: 8 },
      ),
      rateTimeseries(
        SEL,
        'Redis fail-open decisions/s',
        { metric: 'gatekeeper_authz_fail_open_total', by: 'instance, kind' },
        {
          width: 8,
          description: 'Allowed without their rate-limit or nonce check because Redis did not answer.',
        },
      ),
      rateTimeseries(SEL, 'Redis errors/s by operation', { metric: 'gatekeeper_authz_redis_errors_total', by: 'op' }),
      timeseries('Redis up', [series(prom, `gatekeeper_authz_redis_up{${SEL}}`, '{{instance}}')], {
        fieldDefaults: { min: 0, max: 1 },
      }),

      row('Config snapshot'),
      timeseries('Snapshot version', [series(prom, `gatekeeper_authz_snapshot_version{${SEL}}`, '{{instance}}')], {
        width: 8,
        description: 'Replicas that agree draw one line; a replica below the others is behind.',
      }),
      timeseries('Snapshot age', [series(prom, `gatekeeper_authz_snapshot_age_seconds{${SEL}}`, '{{instance}}')], {
        unit: 's',
        width: 8,
        description: 'Seconds since the snapshot was last confirmed current; stays under the version check interval.',
      }),
      timeseries(
        'Notification lag p50 / p99',
        [
          series(prom, quantile(0.5, 'gatekeeper_authz_notification_lag_seconds'), 'p50'),
          series(prom, quantile(0.99, 'gatekeeper_authz_notification_lag_seconds'), 'p99'),
        ],
        { unit: 's', width: 8 },
      ),
      rateTimeseries(
        SEL,
        'Change notifications/s by result',
        { metric: 'gatekeeper_authz_notifications_total', by: 'result' },
        { width: 8 },
      ),
      table('Snapshot rows by table', [instant(prom, `max by (table) (gatekeeper_authz_snapshot_rows{${SEL}})`)], {
        width: 8,
      }),
      table(
        'Full reloads in range',
        [
          instant(
            prom,
            `sum by (trigger, outcome) (increase(gatekeeper_authz_snapshot_reloads_total{${SEL}}[$__range]))`,
          ),
        ],
        { width: 8 },
      ),

      row('Instances'),
      table(
        'Per-instance health',
        [
          instant(prom, 'up{job="gatekeeper-authz", instance=~"$instance"}', 'up'),
          instant(prom, `gatekeeper_authz_ready{${SEL}}`, 'ready'),
          instant(prom, `gatekeeper_authz_postgres_up{${SEL}}`, 'postgres'),
          instant(prom, `gatekeeper_authz_redis_up{${SEL}}`, 'redis'),
        ],
        { width: 24, description: '1 = up / ready. An instance with postgres 0 still decides from its last snapshot.' },
      ),
      rateTimeseries(SEL, 'Errors/s by type', { metric: 'gatekeeper_authz_errors_total', by: 'type' }, { width: 8 }),
      timeseries(
        'CPU per instance',
        [series(prom, `rate(process_cpu_seconds_total{${SEL}}[${RATE}])`, '{{instance}}')],
        { unit: 'percentunit', width: 8 },
      ),
      timeseries(
        'Resident memory per instance',
        [series(prom, `process_resident_memory_bytes{${SEL}}`, '{{instance}}')],
        { unit: 'bytes', width: 8 },
      ),
      timeseries('Event loop lag p99', [series(prom, `nodejs_eventloop_lag_p99_seconds{${SEL}}`, '{{instance}}')], {
        unit: 's',
      }),
    ],
  })
}
