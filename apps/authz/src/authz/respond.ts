// /authz responses. Every one has an explicit Content-Length (an empty or chunked reply would stop nginx from
// reusing the upstream connection: toolchain.md) and plain-object headers (the node-server fast path).
// Allow: 200, empty body, identity headers for nginx to pass upstream. Deny: X-Auth-Reason and a small JSON
// body naming only the public reason; never the finer audit detail, so nothing tells whether a key exists.

import type { AllowDecision, AuthType, DenyReason } from '@gatekeeper/engine'

/**
 * Header values must be visible ASCII. Names are user-chosen and may be any Unicode: such characters (and `%`
 * itself, so decoding is unambiguous) are percent-encoded as UTF-8. A plain ASCII name is sent as is, and a
 * reader can always apply one percent-decoding to get the original back.
 */
const PLAIN_HEADER_VALUE = /^[\x20-\x24\x26-\x7e]*$/

function encodeHeaderValue(value: string): string {
  if (PLAIN_HEADER_VALUE.test(value)) return value
  let out = ''
  for (const ch of value) {
    const c = ch.codePointAt(0) ?? 0
    out += c < 0x20 || c > 0x7e || c === 0x25 ? encodeURIComponent(ch) : ch
  }
  return out
}

const REALM = 'realm="gatekeeper"'
/** What each method accepts: an `api_key` method takes a key or a signature, an `hmac` one only a signature. */
const WWW_AUTHENTICATE: Record<AuthType, string> = {
  api_key: `Bearer ${REALM}, ApiKey ${REALM}, HMAC ${REALM}`,
  hmac: `HMAC ${REALM}`,
}

function wwwAuthenticate(authType: AuthType | undefined): string {
  return WWW_AUTHENTICATE[authType ?? 'api_key']
}

const JSON_TYPE = 'application/json'
const bodies = new Map<string, { text: string; length: string }>()

function denyBody(reason: string, detail: string | undefined): { text: string; length: string } {
  if (detail !== undefined) {
    const text = JSON.stringify({ allowed: false, reason, detail })
    return { text, length: String(Buffer.byteLength(text)) }
  }
  let body = bodies.get(reason)
  if (body === undefined) {
    const text = JSON.stringify({ allowed: false, reason })
    body = { text, length: String(Buffer.byteLength(text)) }
    bodies.set(reason, body)
  }
  return body
}

export interface DenyOptions {
  status: number
  reason: DenyReason | 'internal_error'
  requestId: string
  /** 401: which schemes to name in WWW-Authenticate. */
  authType?: AuthType | undefined
  /** Rate-limit fields (and Retry-After) from the admission store. */
  headers?: Readonly<Record<string, string>> | undefined
  retryAfter?: number | undefined
  /** Only for 400: which header is missing or malformed. Never for credential failures. */
  detail?: string | undefined
}

export function denyResponse(options: DenyOptions): Response {
  const body = denyBody(options.reason, options.detail)
  const headers: Record<string, string> = {
    'content-type': JSON_TYPE,
    'content-length': body.length,
    'x-auth-reason': options.reason,
    'x-request-id': options.requestId,
  }
  if (options.headers !== undefined) Object.assign(headers, options.headers)
  if (options.status === 401) headers['www-authenticate'] = wwwAuthenticate(options.authType)
  if (options.retryAfter !== undefined && options.headers?.['Retry-After'] === undefined) {
    headers['retry-after'] = String(options.retryAfter)
  }
  return new Response(body.text, { status: options.status, headers })
}

/**
 * `upstreamUri`: the request target the upstream must receive (X-Auth-Upstream-URI), when it differs from the
 * client's: the target without the `api_key` query parameter authz read the credential from.
 */
export function allowResponse(decision: AllowDecision, requestId: string, upstreamUri?: string): Response {
  const headers: Record<string, string> = {
    'content-length': '0',
    'x-auth-reason': decision.reason,
    'x-auth-route-id': decision.routeId,
    'x-auth-service': encodeHeaderValue(decision.serviceName),
    'x-request-id': requestId,
    'x-route-id': decision.routeId,
  }
  // Each identity header also under the original system's name (response-headers.ts).
  if (decision.clientId !== undefined) {
    headers['x-auth-client-id'] = decision.clientId
    headers['x-client-id'] = decision.clientId
  }
  if (decision.clientName !== undefined) {
    const name = encodeHeaderValue(decision.clientName)
    headers['x-auth-client-name'] = name
    headers['x-client-name'] = name
  }
  // HMAC v2: the digest the client signed, for nginx to pass upstream, which checks the body against it.
  if (decision.contentDigest !== undefined) headers['x-auth-content-digest'] = decision.contentDigest
  if (upstreamUri !== undefined) headers['x-auth-upstream-uri'] = upstreamUri
  if (decision.metadataHeader !== undefined && decision.metadataValue !== undefined) {
    headers[decision.metadataHeader] = decision.metadataValue
  }
  if (decision.headers !== undefined) Object.assign(headers, decision.headers)
  return new Response(null, { status: 200, headers })
}
