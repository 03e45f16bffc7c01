import { signRequestV1 } from '@gatekeeper/crypto'
import type { AuthzProcess } from '@gatekeeper/testkit/apps'
import { send } from '@gatekeeper/testkit/http'
import type { RunningNginx } from '@gatekeeper/testkit/nginx'
import type { EchoUpstream } from './upstream'

// The behaviours each shipped protected-API config must show, as plain functions that throw `CheckFailed` with what
// they saw. The suites call them against the shipped files, and the load-bearing test calls them against
// deliberately broken copies to prove each one notices its breakage.

export class CheckFailed extends Error {
  override name = 'CheckFailed'
}

function fail(check: string, saw: string): never {
  throw new CheckFailed(`${check}: ${saw}`)
}

export interface CheckContext {
  nginx: RunningNginx
  /** Connections nginx has opened to authz so far (nginx started with `countAuthzConnections`). */
  authzConnections: (() => number) | undefined
  authz: AuthzProcess
  upstream: EchoUpstream
  /** A path on a public route (GET). */
  publicPath: string
  /** A path on an api_key route (GET, POST) the key below may use. */
  keyPath: string
  apiKey: string
  /** A path on an hmac route (POST) the client below may use, and that client's id and shared secret. */
  hmacPath: string
  clientId: string
  secret: string
  /** An API key whose client has used up its rate limit on `keyPath`. */
  exhaustedKey: string
}

/**
 * Sequential requests reuse a handful of connections to authz instead of opening one each. Authenticated requests,
 * so that every one of them asks authz (no config may cache a decision that carries a credential).
 */
export async function checkKeepalive(ctx: CheckContext, requests = 40): Promise<{ newConnections: number }> {
  const count = ctx.authzConnections
  if (count === undefined) throw new Error('checkKeepalive needs nginx started with countAuthzConnections')
  const before = count()
  for (let i = 0; i < requests; i++) {
    const reply = await send({
      port: ctx.nginx.port,
      path: ctx.keyPath,
      headers: { Authorization: `Bearer ${ctx.apiKey}` },
    })
    if (reply.status !== 200) fail('keepalive', `request ${i} answered ${reply.status}`)
  }
  const opened = count() - before
  // One worker, sequential requests: one connection, a second if an idle one was closed meanwhile.
  if (opened > 4) fail('keepalive', `${requests} requests opened ${opened} connections to authz`)
  return { newConnections: opened }
}

/**
 * Sequential requests reuse a handful of connections to the API too: the proxied URI is a variable
 * ($request_uri or authz's X-Auth-Upstream-URI), and nginx must still use the named upstream and its keepalive.
 */
async function checkUpstreamKeepalive(ctx: CheckContext, requests = 20): Promise<void> {
  const before = ctx.upstream.connections
  for (let i = 0; i < requests; i++) {
    const reply = await send({ port: ctx.nginx.port, path: `${ctx.publicPath}?n=${i}` })
    if (reply.status !== 200) fail('upstream keepalive', `request ${i} answered ${reply.status}`)
  }
  const opened = ctx.upstream.connections - before
  if (opened > 4) fail('upstream keepalive', `${requests} requests opened ${opened} connections to the API`)
}

/** A rate-limited client gets 429 with Retry-After and the RateLimit fields, not a 500. */
async function checkRateLimited(ctx: CheckContext): Promise<void> {
  const hitsBefore = ctx.upstream.hits
  const reply = await send({
    port: ctx.nginx.port,
    path: ctx.keyPath,
    headers: { Authorization: `Bearer ${ctx.exhaustedKey}` },
  })
  if (reply.status !== 429) fail('rate limit', `status ${reply.status}, expected 429`)
  const retryAfter = Number(reply.headers['retry-after'])
  if (!Number.isInteger(retryAfter) || retryAfter < 1) {
    fail('rate limit', `Retry-After ${reply.headers['retry-after']}`)
  }
  if (!/r=0/.test(reply.headers.ratelimit ?? '')) fail('rate limit', `RateLimit ${reply.headers.ratelimit}`)
  if (!/q=\d+/.test(reply.headers['ratelimit-policy'] ?? '')) {
    fail('rate limit', `RateLimit-Policy ${reply.headers['ratelimit-policy']}`)
  }
  if (reply.headers['x-auth-reason'] !== 'rate_limit_exceeded') {
    fail('rate limit', `X-Auth-Reason ${reply.headers['x-auth-reason']}`)
  }
  if (ctx.upstream.hits !== hitsBefore) fail('rate limit', 'the request reached the upstream')
}

/** A client's own identity headers never reach the upstream (here on a public route, where authz names nobody). */
export async function checkIdentityNotSpoofable(ctx: CheckContext): Promise<void> {
  const reply = await send({
    port: ctx.nginx.port,
    path: ctx.publicPath,
    headers: {
      'X-Auth-Client-ID': 'spoofed-client',
      'X-Auth-Client-Name': 'spoofed',
      'X-Auth-Route-ID': 'spoofed-route',
      'X-Auth-Service': 'spoofed-service',
      'X-Auth-Content-Digest': 'sha-256=:c3Bvb2ZlZA==:',
      'X-Client-ID': 'spoofed-client',
      'X-Client-Name': 'spoofed',
      'X-Route-ID': 'spoofed-route',
    },
  })
  if (reply.status !== 200) fail('identity headers', `status ${reply.status}`)
  const echo = ctx.upstream.received[ctx.upstream.received.length - 1]
  if (echo === undefined) fail('identity headers', 'the upstream saw nothing')
  for (const name of [
    'x-auth-client-id',
    'x-auth-client-name',
    'x-auth-content-digest',
    'x-client-id',
    'x-client-name',
  ]) {
    if (echo.headers[name] !== undefined)
      fail('identity headers', `${name}: ${echo.headers[name]} reached the upstream`)
  }
  for (const name of ['x-auth-route-id', 'x-auth-service', 'x-route-id']) {
    const values = echo.headers[name] ?? []
    if (values.some((value) => value.startsWith('spoofed'))) {
      fail('identity headers', `${name}: ${values.join(', ')} reached the upstream`)
    }
  }
}

/**
 * A client's X-Original-Client-IP is replaced by its real address before authz (which trusts nginx) sees it.
 * Authenticated, so that authz is asked (and logs the decision) whatever the config caches.
 */
export async function checkClientIpNotSpoofable(ctx: CheckContext, clientAddress = '127.0.0.9'): Promise<void> {
  const reply = await send({
    port: ctx.nginx.port,
    path: ctx.keyPath,
    localAddress: clientAddress,
    headers: { Authorization: `Bearer ${ctx.apiKey}`, 'X-Original-Client-IP': '203.0.113.66' },
  })
  const requestId = reply.headers['x-request-id']
  if (requestId === undefined) fail('client ip', 'no X-Request-ID in the reply')
  const line = await ctx.authz.auditFor(requestId)
  if (line.client_ip !== clientAddress) fail('client ip', `authz saw client_ip ${line.client_ip}`)
}

/**
 * POSTs with a body pass auth_request promptly and the whole body reaches the upstream, with an API key and with
 * an HMAC v1 signature (signed over the empty body authz receives). If nginx announced the body to authz without
 * sending it (the original system's example config), authz would wait for it.
 */
export async function checkPostBody(ctx: CheckContext, bytes = 256 * 1024): Promise<void> {
  const body = new Uint8Array(bytes).fill(0x61)
  const signed = signRequestV1({ clientId: ctx.clientId, secret: ctx.secret, method: 'POST', path: ctx.hmacPath })
  const requests: Array<[string, string, string]> = [
    ['api key', ctx.keyPath, `Bearer ${ctx.apiKey}`],
    ['hmac', ctx.hmacPath, signed.authorization],
  ]
  for (const [how, path, authorization] of requests) {
    const reply = await send({
      port: ctx.nginx.port,
      method: 'POST',
      path,
      headers: { Authorization: authorization, 'Content-Type': 'application/octet-stream' },
      body,
      timeoutMs: 5000,
    })
    if (reply.status !== 200) fail('post body', `${how}: status ${reply.status} after ${Math.round(reply.ms)} ms`)
    const echo: unknown = JSON.parse(reply.body)
    const received = typeof echo === 'object' && echo !== null && 'bodyBytes' in echo ? echo.bodyBytes : undefined
    if (received !== bytes) fail('post body', `${how}: the upstream received ${String(received)} of ${bytes} bytes`)
  }
}

export const PROTECTED_API_CHECKS = {
  keepalive: checkKeepalive,
  upstreamKeepalive: checkUpstreamKeepalive,
  rateLimited: checkRateLimited,
  identityNotSpoofable: checkIdentityNotSpoofable,
  clientIpNotSpoofable: checkClientIpNotSpoofable,
  postBody: checkPostBody,
} as const
