import { Counter, collectDefaultMetrics, Histogram, type Registry } from 'prom-client'

/** Outcomes of a webhook delivery: the label set is closed (see webhooks.ts). */
export const WEBHOOK_OUTCOMES = [
  'provisioned',
  'already_admin',
  'identity_mismatch',
  'not_allowlisted',
  'foreign_site',
  'deprovisioned',
  'not_admin',
  'ignored',
  'rejected_signature',
  'rejected_stale',
  'rejected_headers',
  'malformed_body',
  'not_configured',
] as const
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number]

/** Every metric console-api exports, on one registry (not prom-client's global one). */
export function createMetrics(registry: Registry, opts: { defaultMetrics?: boolean } = {}) {
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry })
  return {
    registry,
    httpRequests: new Counter({
      name: 'console_http_requests_total',
      help: 'HTTP requests by route template, method and status',
      labelNames: ['route', 'method', 'status'] as const,
      registers: [registry],
    }),
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
    aegisErrors: new Counter({
      name: 'console_aegis_errors_total',
      help: 'Failed calls to Aegis by call and reason (timeout, network, server_error, bad_response, unexpected_status)',
      labelNames: ['call', 'reason'] as const,
      registers: [registry],
    }),
    authCache: new Counter({
      name: 'console_admin_auth_cache_total',
      help: 'Admin bearer-token cache lookups by result (hit, miss)',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    adminAuthRefusals: new Counter({
      name: 'console_admin_auth_refusals_total',
      help: 'Signed-in Aegis users refused the admin API, by reason (foreign_site, not_admin)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    authThrottled: new Counter({
      name: 'console_auth_throttled_total',
      help: 'Sign-in proxy calls refused with 429, by call (login, register, request-password-reset) and key (ip, email)',
      labelNames: ['call', 'key'] as const,
      registers: [registry],
    }),
    authThrottleErrors: new Counter({
      name: 'console_auth_throttle_errors_total',
      help: 'Sign-in throttle checks the store could not answer (the call was let through)',
      registers: [registry],
    }),
    adminActions: new Counter({
      name: 'console_admin_actions_total',
      help: 'Successful admin API writes by action',
      labelNames: ['action'] as const,
      registers: [registry],
    }),
    webhookEvents: new Counter({
      name: 'console_webhook_events_total',
      help: 'Aegis webhook deliveries by outcome',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
  }
}

export type Metrics = ReturnType<typeof createMetrics>
