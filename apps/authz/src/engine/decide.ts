// The authorisation decision for one request, in the order of issue 3:
//   route -> method configured -> public? -> credentials (auth_type enforced) -> client status -> permission ->
//   method allowed -> rate limit -> allow.
// Synchronous until something needs I/O: only a valid HMAC signature (nonce check) or a client with limits
// (rate limiter) yields a Promise, so a public, unmatched or plain API-key request returns a Decision directly.
// Callers: `const d = decide(...); const decision = d instanceof Promise ? await d : d`.
// Decisions may be shared frozen objects (the public-route allow, the unmatched deny): treat them as read-only.
//
// Every failure to establish who the caller is (unknown key, bad checksum, expired key, unknown client, bad
// signature) is the same 401 `invalid_credentials`; the finer cause goes to `logDetail`, for the audit log only.

import type { Credentials } from './credentials'
import { type HmacCrypto, NONCE_TTL_SECONDS, verifyHmacRequest } from './hmac-verify'
import type { CompiledRoute, MethodRule } from './route-index'
import type { EngineState } from './state'
import type { AllowDecision, AuthType, ClientInput, Decision, DenyDecision, DenyReason, RateLimitInput } from './types'

export type ParseApiKey = (
  raw: string,
) => { ok: true; key: string; format: 'gatekeeper' | 'legacy' } | { ok: false; reason: string }

/** Lower-case hex SHA-256 of the key. */
export type DigestApiKey = (key: string) => string

export interface NonceStore {
  /** true when the nonce was unseen for this client (and is now stored), false for a replay. Must not reject. */
  checkAndStore(clientId: string, nonce: string, ttlSeconds: number): Promise<boolean>
}

export interface RateLimitOutcome {
  allowed: boolean
  /** Seconds until a request may succeed. */
  retryAfter?: number
  /** Quota headers (RateLimit, RateLimit-Policy, ...) passed through to the response. */
  headers?: Readonly<Record<string, string>>
}

/** Applies the client's limits; its failure mode (open/closed) is its own business. Must not reject. */
export type RateLimiter = (clientId: string, limits: RateLimitInput) => Promise<RateLimitOutcome>

export interface DecideDeps {
  /** Epoch milliseconds. */
  now: () => number
  parseApiKey: ParseApiKey
  digestApiKey: DigestApiKey
  hmac: HmacCrypto
  nonceStore: NonceStore
  /** Absent: no rate limiting at all. */
  rateLimit?: RateLimiter
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
  /** The body as received when a direct caller posts it; nginx sends none (empty). */
  body?: string
}

const NO_ROUTE: DenyDecision = Object.freeze({
  allowed: false as const,
  status: 403 as const,
  reason: 'no_route_match' as const,
})

function deny(status: 401 | 403, reason: DenyReason, route: CompiledRoute, clientId?: string): DenyDecision {
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

function allow(route: CompiledRoute, client: ClientInput, headers?: Readonly<Record<string, string>>): AllowDecision {
  const d: AllowDecision = {
    allowed: true,
    status: 200,
    reason: 'authenticated',
    routeId: route.id,
    serviceName: route.serviceName,
    clientId: client.id,
    clientName: client.clientName,
  }
  if (headers !== undefined) d.headers = headers
  return d
}

export function decide(state: EngineState, request: DecisionRequest, deps: DecideDeps): Decision | Promise<Decision> {
  const route = state.routes.match(request.host, request.path)
  if (route === undefined) return NO_ROUTE
  const rule = route.methods.get(request.method)
  if (rule === undefined) return deny(403, 'method_not_configured', route)
  if (rule.publicAllow !== undefined) return rule.publicAllow

  const credentials = request.credentials
  switch (credentials.kind) {
    case 'none':
      return unauthenticated('missing_credentials', route, rule.authType ?? 'api_key')
    case 'invalid':
      return unauthenticated('invalid_credentials', route, rule.authType ?? 'api_key', credentials.reason)
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
    return unauthenticated('invalid_credentials', route, 'api_key', 'expired_key')
  }
  const client = state.client(entry.clientId)
  if (client === undefined) return unauthenticated('invalid_credentials', route, 'api_key', 'unknown_client')
  return authorise(state, request.method, route, client, deps)
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
  // Only v1 exists so far (issue 6 adds v2): a method that requires v2 refuses every signature for now.
  if (rule.signatureVersion === 'v2') {
    return unauthenticated('signature_required', route, authType, 'signature_v2_required')
  }
  const verification = verifyHmacRequest(
    { header, method: request.method, rawPath: request.rawPath, body: request.body ?? '', nowMs: deps.now() },
    (clientId) => state.hmacSecrets(clientId),
    deps.hmac,
  )
  if (!verification.ok) {
    return unauthenticated(verification.reason, route, authType, verification.logDetail, verification.clientId)
  }
  const client = state.client(verification.clientId)
  if (client === undefined) return unauthenticated('invalid_credentials', route, authType, 'unknown_client')
  // Only now, with a valid signature, may the nonce be consumed.
  return deps.nonceStore
    .checkAndStore(client.id, verification.nonce, NONCE_TTL_SECONDS)
    .then((fresh) =>
      fresh
        ? authorise(state, request.method, route, client, deps)
        : unauthenticated('replayed_nonce', route, authType, 'replayed_nonce', client.id),
    )
}

function authorise(
  state: EngineState,
  method: string,
  route: CompiledRoute,
  client: ClientInput,
  deps: DecideDeps,
): Decision | Promise<Decision> {
  if (client.status !== 'active') {
    return deny(403, client.status === 'suspended' ? 'client_suspended' : 'client_revoked', route, client.id)
  }
  const allowedMethods = state.allowedMethods(client.id, route.id)
  if (allowedMethods === undefined) return deny(403, 'no_permission', route, client.id)
  if (!allowedMethods.has(method)) return deny(403, 'method_not_allowed', route, client.id)

  const limiter = deps.rateLimit
  const limits = limiter === undefined ? undefined : state.rateLimit(client.id)
  if (limiter === undefined || limits === undefined) return allow(route, client)
  return limiter(client.id, limits).then((outcome): Decision => {
    if (outcome.allowed) return allow(route, client, outcome.headers)
    const d: DenyDecision = {
      allowed: false,
      status: 429,
      reason: 'rate_limit_exceeded',
      routeId: route.id,
      serviceName: route.serviceName,
      clientId: client.id,
    }
    if (outcome.retryAfter !== undefined) d.retryAfter = outcome.retryAfter
    if (outcome.headers !== undefined) d.headers = outcome.headers
    return d
  })
}
