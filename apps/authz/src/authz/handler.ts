// GET|POST|... /authz: one handler, no middleware. Reads the request model (X-Original-URI/-Method/-Host,
// Authorization, ?api_key=, whether X-API-Key/Api-Key are present), decides from the in-memory snapshot,
// answers with the status and headers nginx acts on, and records one metric sample and one audit line.
// Synchronous unless the decision needs Redis or a direct caller's body has to be read for an HMAC signature.

import {
  ambiguity,
  type CredentialHeaders,
  type DecideDeps,
  type Decision,
  type DenyReason,
  decide,
  extractCredentials,
  hasMethodOverrideParameter,
  MALFORMED_TARGET,
  normalizePath,
  parseHost,
  redactTarget,
  repeatsKey,
  resolveClientIp,
  type TrustedForwarders,
  targetWithoutParameter,
} from '@gatekeeper/engine'
import type { Context } from 'hono'
import type { AuditLog } from '../audit'
import type { Metrics } from '../metrics'
import type { SnapshotView } from '../snapshot/manager'
import { readBody } from './body'
import { type AuthzHeaders, fromFetchHeaders, fromRawHeaders } from './headers'
import { requestId } from './request-id'
import { allowResponse, denyResponse } from './respond'

export interface AuthzHandlerDeps {
  snapshot: SnapshotView
  engine: DecideDeps
  trustedForwarders: TrustedForwarders
  metrics: Metrics
  /** Absent: AUDIT_LOG=false. */
  audit: AuditLog | undefined
  /** Last-used and per-client counts (in memory, flushed elsewhere); absent: AUTHZ_USAGE_TRACKING=false. */
  usage?: { record(decision: Decision): void } | undefined
  onError(err: unknown, requestId: string): void
}

/** What @hono/node-server puts in `c.env`; absent under app.request(). */
interface NodeIncoming {
  rawHeaders: string[]
  headers: Record<string, string | string[] | undefined>
  socket?: { remoteAddress?: string | undefined } | undefined
}
export type AuthzBindings = { incoming?: NodeIncoming }

/** The four combinations of what extractCredentials needs from the other headers, allocated once. */
const CREDENTIAL_HEADERS: readonly CredentialHeaders[] = [
  { multipleAuthorization: false, apiKeyHeader: false },
  { multipleAuthorization: true, apiKeyHeader: false },
  { multipleAuthorization: false, apiKeyHeader: true },
  { multipleAuthorization: true, apiKeyHeader: true },
]

/** RFC 9110 token characters, at most 32 of them (one regex: a character loop costs V8's generic loads). */
const METHOD_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,32}$/

function isMethodToken(method: string): boolean {
  return METHOD_TOKEN.test(method)
}

/** Everything the audit line and the metric need about one request, filled in as it is learnt. */
interface Trace {
  started: number
  requestId: string
  clientIp: string
  method: string | undefined
  host: string | undefined
  path: string | undefined
  /** The raw X-Original-URI (api_key values redacted, truncated), when it is not the decided path. */
  target: string | undefined
}

const MAX_LOGGED_TARGET = 256

function loggedTarget(uri: string): string {
  const redacted = redactTarget(uri)
  return redacted.length > MAX_LOGGED_TARGET ? `${redacted.slice(0, MAX_LOGGED_TARGET)}...` : redacted
}

/**
 * A Transfer-Encoding, or a Content-Length other than 0 (node's parser refuses a conflicting second one). Read off the
 * raw header list: `incoming.headers` would be built whole for it on every signed request (~2.5k instructions).
 */
function hasBody(c: Context<{ Bindings: AuthzBindings }>, incoming: NodeIncoming | undefined): boolean {
  if (incoming === undefined) return c.req.raw.body !== null
  const raw = incoming.rawHeaders
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? ''
    if (name.length === 17 && name.toLowerCase() === 'transfer-encoding') return true
    if (name.length === 14 && raw[i + 1] !== '0' && name.toLowerCase() === 'content-length') return true
  }
  return false
}

export function authzHandler(deps: AuthzHandlerDeps) {
  function finish(trace: Trace, decision: Decision, response: Response): Response {
    const seconds = (performance.now() - trace.started) / 1000
    deps.metrics.decision(decision.allowed, decision.reason, trace.method ?? '', decision.routeId, seconds)
    if (decision.hmac !== undefined) deps.metrics.hmacVerification(decision.hmac.version, decision.hmac.result)
    deps.usage?.record(decision)
    if (deps.audit !== undefined) {
      const clientName = decision.allowed
        ? decision.clientName
        : decision.clientId === undefined
          ? undefined
          : deps.snapshot.current()?.client(decision.clientId)?.clientName
      deps.audit.decision({
        request_id: trace.requestId,
        client_ip: trace.clientIp,
        client_id: decision.clientId,
        client_name: clientName,
        domain: trace.host,
        path: trace.path,
        target: trace.target,
        route_id: decision.routeId,
        route_service: decision.serviceName,
        method: trace.method,
        allowed: decision.allowed,
        status: decision.status,
        reason: decision.reason,
        detail: decision.logDetail,
        duration_ms: Math.round(seconds * 1e6) / 1000,
      })
    }
    return response
  }

  function refuse(
    trace: Trace,
    status: 400 | 503,
    reason: Exclude<DenyReason, 'ambiguous_path' | 'ambiguous_credential'>,
    detail?: string,
  ): Response {
    const decision: Decision = { allowed: false, status, reason }
    if (detail !== undefined) decision.logDetail = detail
    const response = denyResponse({
      status,
      reason,
      requestId: trace.requestId,
      detail: status === 400 ? detail : undefined,
      retryAfter: status === 503 ? 1 : undefined,
    })
    return finish(trace, decision, response)
  }

  /** `upstreamUri`: on an allow, the target the upstream should receive instead of the client's. */
  function respond(trace: Trace, decision: Decision, upstreamUri?: string): Response {
    const response = decision.allowed
      ? allowResponse(decision, trace.requestId, upstreamUri)
      : denyResponse({
          status: decision.status,
          reason: decision.reason,
          requestId: trace.requestId,
          authType: decision.authType,
          headers: decision.headers,
          retryAfter: decision.retryAfter,
          // A 400 from the engine is an ambiguity; its cause (`case_variant_route`, ...) names nothing secret.
          detail: decision.status === 400 ? decision.logDetail : undefined,
        })
    return finish(trace, decision, response)
  }

  function handle(c: Context<{ Bindings: AuthzBindings }>): Response | Promise<Response> {
    const started = performance.now()
    const incoming = c.env?.incoming
    const h: AuthzHeaders =
      incoming !== undefined ? fromRawHeaders(incoming.rawHeaders) : fromFetchHeaders(c.req.raw.headers)
    const trace: Trace = {
      started,
      requestId: requestId(h.requestId),
      clientIp: resolveClientIp({
        socketIp: incoming?.socket?.remoteAddress,
        xOriginalClientIp: h.xOriginalClientIp,
        trusted: deps.trustedForwarders,
      }),
      method: h.originalMethod,
      host: undefined,
      path: undefined,
      target: undefined,
    }

    const state = deps.snapshot.current()
    if (state === undefined) return refuse(trace, 503, 'not_ready', 'snapshot_not_loaded')

    if (h.duplicate !== undefined) return refuse(trace, 400, 'bad_request', `more than one ${h.duplicate} header`)
    const uri = h.originalUri
    if (uri === undefined || uri.length === 0) return refuse(trace, 400, 'bad_request', 'missing X-Original-URI')
    const method = h.originalMethod
    if (method === undefined || method.length === 0) {
      return refuse(trace, 400, 'bad_request', 'missing X-Original-Method')
    }
    if (!isMethodToken(method)) return refuse(trace, 400, 'bad_request', 'malformed X-Original-Method')
    // nginx sends X-Original-Host ($host). Direct callers that omit it are judged by their Host header.
    const hostHeader = h.originalHost ?? h.host
    const host = parseHost(hostHeader)
    if (!host.ok) {
      const name = h.originalHost !== undefined ? 'X-Original-Host' : 'X-Original-Host (or Host)'
      return refuse(trace, 400, 'bad_request', `${name}: ${host.reason}`)
    }
    trace.host = host.host
    const q = uri.indexOf('?')
    const rawPath = q < 0 ? uri : uri.slice(0, q)
    const normalized = normalizePath(uri)
    if (!normalized.ok) {
      // `path` as before (dashboards group refusals by it), `target` with the query for the whole story.
      trace.path = rawPath.length > MAX_LOGGED_TARGET ? `${rawPath.slice(0, MAX_LOGGED_TARGET)}...` : rawPath
      trace.target = loggedTarget(uri)
      if (MALFORMED_TARGET.has(normalized.reason)) {
        return refuse(trace, 400, 'bad_request', `X-Original-URI: ${normalized.reason}`)
      }
      return respond(trace, ambiguity('ambiguous_path', normalized.reason))
    }
    trace.path = normalized.path
    if (normalized.path !== rawPath) trace.target = loggedTarget(uri)
    // `?_method=DELETE` on an allowed POST: frameworks with a method override would run the DELETE.
    if (hasMethodOverrideParameter(normalized.query)) {
      trace.target ??= loggedTarget(uri)
      return respond(trace, ambiguity('ambiguous_method', 'method_override_parameter'))
    }

    const credentials = extractCredentials(
      h.authorization,
      normalized.query,
      CREDENTIAL_HEADERS[(h.multipleAuthorization ? 1 : 0) + (h.apiKey !== undefined ? 2 : 0)],
    )
    if (credentials.kind === 'ambiguous') {
      trace.target ??= loggedTarget(uri)
      return respond(trace, ambiguity('ambiguous_credential', credentials.reason))
    }
    if (repeatsKey(uri, credentials)) {
      trace.target ??= loggedTarget(uri)
      return respond(trace, ambiguity('ambiguous_credential', 'credential_repeated'))
    }
    // A key read from the query goes no further than authz: the upstream gets the target without it.
    const upstreamUri =
      credentials.kind === 'api_key' && credentials.source === 'query'
        ? targetWithoutParameter(uri, credentials.span)
        : undefined
    // rawTarget and contentDigest: what an HMAC v2 client signed (the query too, and the body's digest).
    const request = {
      method,
      host: host.host,
      path: normalized.path,
      rawPath,
      rawTarget: uri,
      contentDigest: h.contentDigest,
      credentials,
      clientIp: trace.clientIp,
    }

    // Only a signed request needs its body (node's `incoming.headers` is built on first use: not per request).
    if (credentials.kind === 'hmac' && hasBody(c, incoming)) {
      return readBody(c.req.raw).then((body) => {
        if (!body.ok) return refuse(trace, 400, 'bad_request', body.reason)
        const d = decide(state, { ...request, body: body.body }, deps.engine)
        if (d instanceof Promise) return d.then((decision) => decided(trace, decision, uri, undefined))
        return decided(trace, d, uri, undefined)
      })
    }
    const d = decide(state, request, deps.engine)
    if (d instanceof Promise) return d.then((decision) => decided(trace, decision, uri, upstreamUri))
    return decided(trace, d, uri, upstreamUri)
  }

  function decided(trace: Trace, decision: Decision, uri: string, upstreamUri: string | undefined): Response {
    if (decision.reason === 'ambiguous_path') trace.target ??= loggedTarget(uri)
    return respond(trace, decision, upstreamUri)
  }

  return (c: Context<{ Bindings: AuthzBindings }>): Response | Promise<Response> => {
    try {
      const result = handle(c)
      return result instanceof Promise ? result.catch((err: unknown) => failed(err)) : result
    } catch (err) {
      return failed(err)
    }
  }

  function failed(err: unknown): Response {
    const id = requestId(undefined)
    deps.metrics.error('internal')
    deps.onError(err, id)
    return denyResponse({ status: 500, reason: 'internal_error', requestId: id })
  }
}
