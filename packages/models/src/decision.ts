/** Reasons authz allows a request. */
export const ALLOW_REASONS = ['no_auth_required', 'authenticated'] as const

/** Reasons authz denies (or cannot decide on) a request. */
export const DENY_REASONS = [
  'no_route_match',
  'method_not_configured',
  'missing_credentials',
  'invalid_credentials',
  'client_suspended',
  'client_revoked',
  'no_permission',
  'method_not_allowed',
  'rate_limit_exceeded',
  'bad_request',
  'replayed_nonce',
  'stale_timestamp',
  'signature_required',
  'not_ready',
  'store_unavailable',
  'ambiguous_path',
  'ambiguous_credential',
  'ambiguous_method',
  'unknown_host',
  'credential_expired',
  'client_expired',
  'ip_not_allowed',
] as const

/** Every reason, a small closed set: safe as a metric label and a log field. */
export const DECISION_REASONS = [...ALLOW_REASONS, ...DENY_REASONS] as const

export type AllowReason = (typeof ALLOW_REASONS)[number]
export type DenyReason = (typeof DENY_REASONS)[number]
export type DecisionReason = AllowReason | DenyReason

/**
 * The /authz status per reason. nginx auth_request only understands 2xx, 401 and 403 (anything else
 * becomes a 500 unless the nginx config maps it), so:
 * - 401 when the caller can fix it by presenting valid credentials (missing, wrong, revoked key;
 *   bad or replayed signature; HMAC required where a key was sent; a credential or client past the
 *   `expires_at` an operator set: the caller needs a new credential),
 * - 403 when the caller is known or nothing protects the path but access is not granted (unknown route,
 *   unconfigured method, suspended client, a client IP outside the client's allowlist, no permission, a host no route names when known hosts are required),
 * - 429 over a rate limit, 400 for an unusable subrequest or for a request target or credential that different
 *   programs could read differently (ambiguous_path, ambiguous_credential), 503 before the config snapshot is loaded or when
 *   Redis cannot answer a nonce check or rate limit whose failure mode is closed.
 */
export const REASON_STATUS: Readonly<Record<DecisionReason, number>> = {
  no_auth_required: 200,
  authenticated: 200,
  no_route_match: 403,
  method_not_configured: 403,
  missing_credentials: 401,
  invalid_credentials: 401,
  client_suspended: 403,
  client_revoked: 403,
  no_permission: 403,
  method_not_allowed: 403,
  rate_limit_exceeded: 429,
  bad_request: 400,
  replayed_nonce: 401,
  stale_timestamp: 401,
  signature_required: 401,
  not_ready: 503,
  store_unavailable: 503,
  ambiguous_path: 400,
  ambiguous_credential: 400,
  ambiguous_method: 400,
  unknown_host: 403,
  credential_expired: 401,
  client_expired: 401,
  ip_not_allowed: 403,
}

const ALLOW_SET: ReadonlySet<string> = new Set(ALLOW_REASONS)

export function isAllowReason(reason: DecisionReason): reason is AllowReason {
  return ALLOW_SET.has(reason)
}
