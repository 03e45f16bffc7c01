import type { AllowReason, DenyReason as ModelDenyReason } from '@gatekeeper/models'

// Row shapes the engine is compiled from (camelCase, as @gatekeeper/db's snapshot returns them),
// and the plain-object results the engine hands back. No behaviour here.

export type AuthType = 'api_key' | 'hmac'
export type SignatureVersion = 'any' | 'v2'

export interface RouteMethodInput {
  auth_required: boolean
  auth_type: AuthType | null
  signature_version?: SignatureVersion
}

export interface RouteInput {
  id: string
  routePattern: string
  domain: string
  serviceName: string
  methods: Record<string, RouteMethodInput>
  /** On an allow, the response header that carries the client's metadata (compact JSON); null: none. */
  metadataHeader?: string | null
}

export type ClientStatus = 'active' | 'suspended' | 'revoked'

export interface ClientInput {
  id: string
  clientName: string
  status: ClientStatus
  /** Set by an operator: from this moment every request of the client is refused (`client_expired`). */
  expiresAt?: Date | null
  /** The IPs / CIDRs the client's credentials are accepted from (`ip_not_allowed` otherwise); null: any IP. */
  ipAllowlist?: readonly string[] | null
  /** The operator's JSON object for the client, sent upstream on routes with a metadata header; null: none. */
  metadata?: Readonly<Record<string, unknown>> | null
}

export interface CredentialInput {
  id: string
  clientId: string
  kind: 'api_key' | 'shared_secret'
  apiKeyDigest: string | null
  /** Already unsealed plaintext (the loader unseals); null for API keys. */
  secret: string | null
  legacy: boolean
  /** Set by rotation: a rotated-out credential keeps working until then (refused as `invalid_credentials`). */
  expiresAt: Date | null
  /** Set by an operator: from this moment the credential is refused with `credential_expired`. */
  validUntil?: Date | null
  /** The IPs / CIDRs this credential is accepted from, on top of its client's list; null: no list of its own. */
  ipAllowlist?: readonly string[] | null
}

export interface PermissionInput {
  id: string
  clientId: string
  routeId: string
  allowedMethods: string[]
}

export interface RateLimitInput {
  clientId: string
  requestsPerDay: number | null
  requestsPerMinute: number | null
}

// One vocabulary for reasons across authz, metrics and the admin side.
export type { AllowReason } from '@gatekeeper/models'

export type DenyReason = ModelDenyReason

/** For the metrics only: the HMAC scheme a request announced and how its verification ended. */
export interface HmacTrace {
  version: '1' | '2' | 'unknown'
  result: 'valid' | 'invalid' | 'stale_timestamp' | 'digest_mismatch' | 'version_refused'
}

export interface AllowDecision {
  allowed: true
  status: 200
  reason: AllowReason
  routeId: string
  serviceName: string
  clientId?: string
  clientName?: string
  /** The credential that was accepted (its last-used time is recorded); absent on public routes. */
  credentialId?: string
  /** The route's metadata header and the client's metadata as a header-safe JSON value, when both exist. */
  metadataHeader?: string
  metadataValue?: string
  /** Quota headers from the rate limiter, passed through untouched. */
  headers?: Readonly<Record<string, string>>
  /** For the audit log only (e.g. `rate_limit_failed_open`). */
  logDetail?: string
  /** HMAC v2: the signed Content-Digest (canonical form), returned as X-Auth-Content-Digest for the upstream. */
  contentDigest?: string
  hmac?: HmacTrace
}

export interface DenyDecision {
  allowed: false
  status: 400 | 401 | 403 | 429 | 503
  reason: DenyReason
  routeId?: string
  serviceName?: string
  clientId?: string
  /** On 401: what the method accepts, so the caller can build `WWW-Authenticate`. */
  authType?: AuthType
  /** On 429: seconds, as the rate limiter reported it. */
  retryAfter?: number
  headers?: Readonly<Record<string, string>>
  /**
   * Finer cause for the audit log only (e.g. `multiple_authorization_values`, `expired`).
   * Never send it to the caller: some values (`expired`, `unknown_client`) would reveal that a credential exists.
   */
  logDetail?: string
  hmac?: HmacTrace
}

export type Decision = AllowDecision | DenyDecision
