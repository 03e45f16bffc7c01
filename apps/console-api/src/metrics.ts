import { Counter, collectDefaultMetrics, Histogram, type Registry } from 'prom-client'

/** Outcomes of a webhook delivery: the label set is closed (see webhooks.ts). */
export const WEBHOOK_OUTCOMES = [
  'provisioned',
  'already_admin',
  'identity_mismatch',
  'not_allowlisted',
  'foreign_site',
  'deprovisioned',
  'last_admin_kept',
  'not_admin',
  'ignored',
  'rejected_signature',
  'rejected_stale',
  'rejected_headers',
  'malformed_body',
  'not_configured',
  'replayed',
  'unavailable',
] as const
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number]

/** Every metric console-api exports, on one registry (not prom-client's global one). */
export function createMetrics(registry: Registry, opts: { defaultMetrics?: boolean } = {}) {
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry })
  const counter = <L extends string>(name: string, help: string, labelNames: ReadonlyArray<L> = []) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] })
  return {
    registry,
    httpRequests: counter('console_http_requests_total', 'HTTP requests by route template, method and status', [
      'route',
      'method',
      'status',
    ]),
    httpDuration: new Histogram({
      name: 'console_http_request_duration_seconds',
      help: 'HTTP request latency by route template, method and status',
      labelNames: ['route', 'method', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    aegisDuration: new Histogram({
      name: 'console_aegis_request_duration_seconds',
      help: 'Calls to Aegis by call and outcome (ok, rejected, error)',
      labelNames: ['call', 'outcome'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    aegisErrors: counter(
      'console_aegis_errors_total',
      'Failed calls to Aegis by call and reason (timeout, network, server_error, bad_response, unexpected_status)',
      ['call', 'reason'],
    ),
    authCache: counter('console_admin_auth_cache_total', 'Admin bearer-token cache lookups by result (hit, miss)', [
      'result',
    ]),
    adminAuthRefusals: counter(
      'console_admin_auth_refusals_total',
      'Signed-in Aegis users refused the admin API, by reason (foreign_site, not_admin)',
      ['reason'],
    ),
    authThrottled: counter(
      'console_auth_throttled_total',
      'Sign-in proxy calls refused with 429, by call (login, register, request-password-reset) and key (ip, email)',
      ['call', 'key'],
    ),
    authThrottleErrors: counter(
      'console_auth_throttle_errors_total',
      'Sign-in throttle checks the store could not answer (the call was let through)',
    ),
    adminActions: counter('console_admin_actions_total', 'Successful admin API writes by action', ['action']),
    webhookEvents: counter('console_webhook_events_total', 'Aegis webhook deliveries by outcome', ['outcome']),
  }
}

export type Metrics = ReturnType<typeof createMetrics>
