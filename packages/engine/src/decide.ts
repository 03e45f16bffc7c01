// The authorisation decision for one request:
//   known host (when required) -> route (refused when another reading of the path selects another route) -> method configured -> public? -> credentials (auth_type enforced) -> client status -> client IP allowlist -> credential IP allowlist -> permission ->
//   method allowed -> admission (nonce + rate limit) -> allow.
// Synchronous until something needs I/O: only a valid HMAC signature (nonce) or a client with limits yields a
// Promise, and then exactly ONE admission call covers both the nonce and every limit (one Redis round trip).
// A public, unmatched or plain API-key request on an unlimited client returns a Decision directly.
// Callers: `const d = decide(...); const decision = d instanceof Promise ? await d : d`.
// Decisions may be shared frozen objects (the public-route allow, the unmatched deny): treat them as read-only.
//
// Every failure to establish who the caller is (unknown key, bad checksum, expired key, unknown client, bad
// signature) is the same 401 `invalid_credentials`; the finer cause goes to `logDetail`, for the audit log only.
//
// The nonce is consumed only once everything local has passed (signature, status, permission): a request that
// is refused locally costs no round trip, and a signed request refused for status or permission can be
// replayed only to be refused again, or allowed if the grant is added within the nonce window — in which case
// the original signer did ask for exactly that request.

import type { AddressList } from './client-ip'
import type { Credentials } from './credentials'
import {
  HMAC_TIMESTAMP_TOLERANCE_SECONDS,
  type HmacCrypto,
  type HmacVerification,
  nonceTtlSeconds,
  verifyHmacRequest,
} from './hmac-verify'
import type { CompiledRoute, MethodRule } from './route-index'
import type { ClientEntry, EngineState, LimitSpec } from './state'
import type { AllowDecision, AuthType, Decision, DenyDecision, DenyReason, HmacTrace } from './types'

export type ParseApiKey = (
  raw: string,
) => { ok: true; key: string; format: 'gatekeeper' | 'legacy' } | { ok: false; reason: string }

/** Lower-case hex SHA-256 of the key. */
export type DigestApiKey = (key: string) => string

export interface AdmissionRequest {
  clientId: string
  /** Present for HMAC requests: stored atomically unless already seen. */
  nonce?: { value: string; ttlSeconds: number }
  /** Present when the client has limits. */
  limits?: LimitSpec
}

/** What the admission store said, with the response header fields already derived from it. */
export type AdmissionVerdict =
  | { outcome: 'allowed'; headers?: Readonly<Record<string, string>>; failedOpen?: 'rate_limit' }
  | { outcome: 'replayed' }
  | { outcome: 'rate_limited'; retryAfterSeconds: number; headers?: Readonly<Record<string, string>> }
  | { outcome: 'unavailable'; which: 'nonce' | 'rate_limit' }

/** Replay protection and rate limits in one call (one Redis round trip). Its failure modes are its own business. */
export interface Admission {
  /** Should not reject; a rejection is treated as an unavailable store. */
  admit(request: AdmissionRequest): Promise<AdmissionVerdict>
}

export interface DecideDeps {
  /** Epoch milliseconds. */
  now: () => number
  parseApiKey: ParseApiKey
  digestApiKey: DigestApiKey
  hmac: HmacCrypto
  admission: Admission
  /** Accepted HMAC clock skew either way (HMAC_TIMESTAMP_TOLERANCE_SECONDS when absent); nonces live twice as long. */
  hmacToleranceSeconds?: number
  /**
   * AUTHZ_REQUIRE_KNOWN_HOST: refuse (403 unknown_host) a host that no route names (exact or `*.suffix` domain)
   * and that is not in `knownHosts`, before any route is matched; `*` routes then serve known hosts only.
   */
  requireKnownHost?: boolean
  /** AUTHZ_KNOWN_HOSTS, as parseHost returns host names. */
  knownHosts?: ReadonlySet<string>
}

export interface DecisionRequest {
  /** The client's method (X-Original-Method), compared case-sensitively (methods are, and nginx only sends upper case). */
  method: string
  /** As parseHost returns it. */
  host: string
  /** As normalizePath returns it: what routing and permissions are decided on. */
  path: string
  /** The path exactly as sent, without the query: what an HMAC client signed (see hmac-verify.ts). */
  rawPath: string
  credentials: Credentials
  /** The body as received when a direct caller posts it; nginx sends none (absent). */
  body?: string | Uint8Array
  /** X-Original-URI exactly as sent (path and query): what an HMAC v2 client signed. */
  rawTarget?: string
  /** The Content-Digest request header (HMAC v2). */
  contentDigest?: string
  /**
   * The caller's IP as resolved through trusted forwarders (client-ip.ts), checked against a client's IP
   * allowlist; absent: a client with an allowlist is refused (`ip_not_allowed`).
   */
  clientIp?: string
}

const NO_ROUTE: DenyDecision = Object.freeze({
  allowed: false as const,
  status: 403 as const,
  reason: 'no_route_match' as const,
})

const UNKNOWN_HOST: DenyDecision = Object.freeze({
  allowed: false as const,
  status: 403 as const,
  reason: 'unknown_host' as const,
})

const refusals = new Map<string, DenyDecision>()
/** A 400 for an ambiguous path or credential, with the finer cause (shared, frozen: the causes are few). */
export function ambiguity(
  reason: 'ambiguous_path' | 'ambiguous_credential' | 'ambiguous_method',
  detail: string,
): DenyDecision {
  const key = `${reason} ${detail}`
  let d = refusals.get(key)
  if (d === undefined) {
    d = Object.freeze({ allowed: false as const, status: 400 as const, reason, logDetail: detail })
    refusals.set(key, d)
  }
  return d
}

function deny(status: 401 | 403 | 503, reason: DenyReason, route: CompiledRoute, clientId?: string): DenyDecision {
  const d: DenyDecision = { allowed: false, status, reason, routeId: route.id, serviceName: route.serviceName }
  if (clientId !== undefined) d.clientId = clientId
  return d
}

function unauthenticated(
  reason: DenyReason,
  route: CompiledRoute,
  authType: AuthType,
  logDetail?: string,
  clientId?: string,
): DenyDecision {
  const d = deny(401, reason, route, clientId)
  d.authType = authType
  if (logDetail !== undefined) d.logDetail = logDetail
  return d
}

/** The accepted credential as authorise needs it: an API key entry and an HMAC secret both fit, as they are. */
interface AcceptedCredential {
  credentialId?: string
  allowedIps?: AddressList
}

function allow(
  route: CompiledRoute,
  client: ClientEntry,
  credential: AcceptedCredential,
  headers?: Readonly<Record<string, string>>,
): AllowDecision {
  const d: AllowDecision = {
    allowed: true,
    status: 200,
    reason: 'authenticated',
    routeId: route.id,
    serviceName: route.serviceName,
    clientId: client.id,
    clientName: client.clientName,
  }
  if (credential.credentialId !== undefined) d.credentialId = credential.credentialId
  if (route.metadataHeader !== undefined && client.metadataValue !== undefined) {
    d.metadataHeader = route.metadataHeader
    d.metadataValue = client.metadataValue
  }
  if (headers !== undefined) d.headers = headers
  return d
}

/**
 * The method whose rule and permission decide the request. An API framework runs a route's GET handler for a HEAD
 * (Flask, Werkzeug, Express, Hono, Django, Rails, Spring all do), so a HEAD is decided as that GET, whatever the
 * route says for HEAD: a HEAD made public (or a client granted HEAD only) would otherwise run a protected GET
 * handler, with its side effects and its response headers. HEAD's own entry counts only on a route without GET.
 * Signatures still cover the method the client sent.
 */
function decidedMethod(route: CompiledRoute, method: string): string {
  return method === 'HEAD' && route.methods.has('GET') ? 'GET' : method
}

export function decide(state: EngineState, request: DecisionRequest, deps: DecideDeps): Decision | Promise<Decision> {
  if (
    deps.requireKnownHost === true &&
    !state.routes.knowsHost(request.host) &&
    deps.knownHosts?.has(request.host) !== true
  ) {
    return UNKNOWN_HOST
  }
  const route = state.routes.resolve(request.host, request.path, request.rawPath)
  if (typeof route === 'string') return ambiguity('ambiguous_path', route)
  if (route === undefined) return NO_ROUTE
  const rule = route.methods.get(decidedMethod(route, request.method))
  if (rule === undefined) return deny(403, 'method_not_configured', route)
  if (rule.publicAllow !== undefined) return rule.publicAllow

  const credentials = request.credentials
  switch (credentials.kind) {
    case 'none':
      return unauthenticated('missing_credentials', route, rule.authType ?? 'api_key')
    case 'invalid':
      return unauthenticated('invalid_credentials', route, rule.authType ?? 'api_key', credentials.reason)
    case 'ambiguous':
      // The handler refuses these before deciding; a direct caller of decide() gets the same answer.
      return ambiguity('ambiguous_credential', credentials.reason)
    case 'api_key':
      return authenticateApiKey(state, request, route, rule, credentials.key, deps)
    case 'hmac':
      return authenticateHmac(state, request, route, rule, credentials.header, deps)
  }
}

function authenticateApiKey(
  state: EngineState,
  request: DecisionRequest,
  route: CompiledRoute,
  rule: MethodRule,
  rawKey: string,
  deps: DecideDeps,
): Decision | Promise<Decision> {
  // An `hmac` method accepts only a signature: say so before touching the key at all.
  if (rule.authType === 'hmac') return unauthenticated('signature_required', route, 'hmac')
  const parsed = deps.parseApiKey(rawKey) // checksum first: a mistyped key never reaches a lookup
  if (!parsed.ok) return unauthenticated('invalid_credentials', route, 'api_key', 'malformed_key')
  // A map lookup by the SHA-256 of a high-entropy key: timing reveals nothing usable about other keys.
  const entry = state.apiKey(deps.digestApiKey(parsed.key))
  if (entry === undefined) return unauthenticated('invalid_credentials', route, 'api_key', 'unknown_key')
  if (entry.expiresAtMs !== Number.POSITIVE_INFINITY && entry.expiresAtMs <= deps.now()) {
    // An operator's expiry is named; a rotated-out key past its grace is just no longer a key.
    return entry.operatorExpiry
      ? unauthenticated('credential_expired', route, 'api_key', 'credential_expired', entry.clientId)
      : unauthenticated('invalid_credentials', route, 'api_key', 'expired_key')
  }
  const client = state.client(entry.clientId)
  if (client === undefined) return unauthenticated('invalid_credentials', route, 'api_key', 'unknown_client')
  return authorise(state, request, route, client, entry, deps)
}

function authenticateHmac(
  state: EngineState,
  request: DecisionRequest,
  route: CompiledRoute,
  rule: MethodRule,
  header: string,
  deps: DecideDeps,
): Decision | Promise<Decision> {
  const authType = rule.authType ?? 'api_key'
  const tolerance = deps.hmacToleranceSeconds ?? HMAC_TIMESTAMP_TOLERANCE_SECONDS
  const verification = verifyHmacRequest(
    {
      header,
      method: request.method,
      rawPath: request.rawPath,
      body: request.body ?? '',
      nowMs: deps.now(),
      toleranceSeconds: tolerance,
      host: request.host,
      rawTarget: request.rawTarget,
      contentDigest: request.contentDigest,
      bodyReceived: request.body !== undefined,
      // A method that requires v2 refuses v1 signatures (signature_required) so operators can migrate.
      requireV2: rule.signatureVersion === 'v2',
    },
    (clientId) => state.hmacSecrets(clientId),
    deps.hmac,
  )
  const trace = hmacTrace(verification)
  if (!verification.ok) {
    const d = unauthenticated(verification.reason, route, authType, verification.logDetail, verification.clientId)
    d.hmac = trace
    return d
  }
  const client = state.client(verification.clientId)
  if (client === undefined) return unauthenticated('invalid_credentials', route, authType, 'unknown_client')
  // Only now, with a valid signature, may the nonce be consumed (after the local checks, in the same call as
  // the rate limit).
  const nonce = { value: verification.nonce, ttlSeconds: nonceTtlSeconds(tolerance) }
  const decided = authorise(state, request, route, client, verification.secret, deps, nonce, authType)
  const digest = verification.contentDigest
  return decided instanceof Promise ? decided.then((d) => signed(d, trace, digest)) : signed(decided, trace, digest)
}

/** The metric labels of one HMAC verification: the scheme the header announced and how verification ended. */
function hmacTrace(v: HmacVerification): HmacTrace {
  if (v.ok) return { version: v.version === 2 ? '2' : '1', result: 'valid' }
  const version = v.version === undefined ? 'unknown' : v.version === 2 ? '2' : '1'
  if (v.reason === 'signature_required') return { version, result: 'version_refused' }
  if (v.reason === 'stale_timestamp') return { version, result: 'stale_timestamp' }
  return { version, result: v.logDetail === 'content_digest_mismatch' ? 'digest_mismatch' : 'invalid' }
}

/** A decision on a validly signed request: labelled for the metrics; an allow carries the signed v2 digest. */
function signed(d: Decision, trace: HmacTrace, contentDigest: string | undefined): Decision {
  d.hmac = trace
  if (d.allowed && contentDigest !== undefined) d.contentDigest = contentDigest
  return d
}

function authorise(
  state: EngineState,
  request: DecisionRequest,
  route: CompiledRoute,
  client: ClientEntry,
  credential: AcceptedCredential,
  deps: DecideDeps,
  nonce?: AdmissionRequest['nonce'],
  authType?: AuthType,
): Decision | Promise<Decision> {
  // Compared with the clock at decision time: the client stops at that second, no reload or timer involved.
  if (client.expiresAtMs !== Number.POSITIVE_INFINITY && client.expiresAtMs <= deps.now()) {
    return unauthenticated('client_expired', route, authType ?? 'api_key', 'client_expired', client.id)
  }
  if (client.status !== 'active') {
    return deny(403, client.status === 'suspended' ? 'client_suspended' : 'client_revoked', route, client.id)
  }
  // Only after the credential verified: an unknown caller learns nothing about a client's networks. Clients
  // without an allowlist skip it entirely.
  const allowedIps = client.allowedIps
  if (allowedIps !== undefined && (request.clientIp === undefined || !allowedIps.has(request.clientIp))) {
    return deny(403, 'ip_not_allowed', route, client.id)
  }
  // The credential's own list narrows the client's further: both must admit the caller.
  const credentialIps = credential.allowedIps
  if (credentialIps !== undefined && (request.clientIp === undefined || !credentialIps.has(request.clientIp))) {
    return deny(403, 'ip_not_allowed', route, client.id)
  }
  const method = decidedMethod(route, request.method)
  const allowedMethods = state.allowedMethods(client.id, route.id)
  if (allowedMethods === undefined) return deny(403, 'no_permission', route, client.id)
  if (!allowedMethods.has(method)) return deny(403, 'method_not_allowed', route, client.id)

  const limits = state.limitSpec(client.id)
  if (nonce === undefined && limits === undefined) return allow(route, client, credential)
  const admission: AdmissionRequest = { clientId: client.id }
  if (nonce !== undefined) admission.nonce = nonce
  if (limits !== undefined) admission.limits = limits
  let pending: Promise<AdmissionVerdict>
  try {
    pending = deps.admission.admit(admission)
  } catch {
    pending = Promise.resolve(UNAVAILABLE)
  }
  return pending.then(
    (verdict) => admitted(verdict, route, client, credential, authType ?? 'api_key'),
    () => admitted(UNAVAILABLE, route, client, credential, authType ?? 'api_key'),
  )
}

const UNAVAILABLE: AdmissionVerdict = Object.freeze({ outcome: 'unavailable' as const, which: 'rate_limit' as const })

function admitted(
  verdict: AdmissionVerdict,
  route: CompiledRoute,
  client: ClientEntry,
  credential: AcceptedCredential,
  authType: AuthType,
): Decision {
  switch (verdict.outcome) {
    case 'allowed': {
      const d = allow(route, client, credential, verdict.headers)
      if (verdict.failedOpen !== undefined) d.logDetail = `${verdict.failedOpen}_failed_open`
      return d
    }
    case 'replayed':
      return unauthenticated('replayed_nonce', route, authType, 'replayed_nonce', client.id)
    case 'rate_limited': {
      const d: DenyDecision = {
        allowed: false,
        status: 429,
        reason: 'rate_limit_exceeded',
        routeId: route.id,
        serviceName: route.serviceName,
        clientId: client.id,
        retryAfter: verdict.retryAfterSeconds,
      }
      if (verdict.headers !== undefined) d.headers = verdict.headers
      return d
    }
    case 'unavailable': {
      const d = deny(503, 'store_unavailable', route, client.id)
      d.logDetail = `${verdict.which}_store_unavailable`
      return d
    }
  }
}
