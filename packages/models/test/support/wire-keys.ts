// The admin API's documented key order (docs/admin-api.md), shared by the tests that hold the operations (db) and
// the HTTP API (console-api) to it: clients parse by key, but the order is part of the documented wire format.

/** A client's documented keys, in order; the raw credentials of a create or rotate come right after them. */
export const CLIENT_KEYS = ['client_id', 'client_name', 'status', 'api_key_masked', 'created_at', 'updated_at'] as const

/** A client's additive keys, after the documented ones (and after the raw credentials, where shown). */
export const CLIENT_ADDITIVE_KEYS = [
  'has_shared_secret',
  'version',
  'expires_at',
  'api_key_expires_at',
  'shared_secret_expires_at',
  'ip_allowlist',
  'metadata',
  'last_used_at',
] as const

/** The credential shape the console's client page is built against. */
export const CREDENTIAL_KEYS = [
  'credential_id',
  'kind',
  'prefix',
  'created_at',
  'expires_at',
  'last_used_at',
  'ip_allowlist',
  'state',
] as const

/** A permission's documented keys, in order (`version` is additive). */
export const PERMISSION_KEYS = [
  'permission_id',
  'client_id',
  'client_name',
  'route_id',
  'route_domain',
  'route_pattern',
  'route_service_name',
  'allowed_methods',
  'created_at',
] as const

/** The whole key order of each wire object: the documented keys, then the additive ones. */
export const KEY_ORDER = {
  route: [
    'route_id',
    'route_pattern',
    'domain',
    'service_name',
    'methods',
    'created_at',
    'updated_at',
    'version',
    'metadata_header',
  ],
  client: [...CLIENT_KEYS, ...CLIENT_ADDITIVE_KEYS],
  /** A created (or rotated) client: the raw credentials, shown once, sit between the two halves. */
  clientCreated: [...CLIENT_KEYS, 'api_key', 'shared_secret', ...CLIENT_ADDITIVE_KEYS],
  credential: CREDENTIAL_KEYS,
  permission: [...PERMISSION_KEYS, 'version'],
  rateLimit: ['client_id', 'client_name', 'requests_per_day', 'requests_per_minute', 'created_at', 'updated_at'],
  consoleAdmin: ['admin_id', 'aegis_user_id', 'email', 'created_at', 'source', 'binding', 'aegis_webhook_user_id'],
} as const
