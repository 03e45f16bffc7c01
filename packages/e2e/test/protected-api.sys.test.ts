import { signRequestV1 } from '@gatekeeper/crypto'
import { type Reply, type SendOptions, send } from '@gatekeeper/testkit/http'
import { describe, expect, it } from 'vitest'
import { checkClientIpNotSpoofable, checkIdentityNotSpoofable, checkKeepalive, checkPostBody } from '../src/checks'
import { checkContext, LIMIT_PER_MINUTE } from '../src/scenario'
import type { Echo } from '../src/upstream'
import { useStack } from '../src/use-stack'

// nginx/protected-api.conf in front of the real authz: every way in, what the client sees, and what reaches the
// upstream (identity headers on allow, nothing at all on deny).

const { stack, scenario: s, nginx } = useStack()

function through(options: Omit<SendOptions, 'port'>): Promise<Reply> {
  return send({ port: nginx.port, ...options })
}

/** The request and the one echo it produced at the upstream. */
async function allowed(options: Omit<SendOptions, 'port'>): Promise<{ reply: Reply; echo: Echo }> {
  const before = stack.upstream.hits
  const reply = await through(options)
  expect(reply.status, reply.body).toBe(200)
  expect(stack.upstream.hits).toBe(before + 1)
  const echo = stack.upstream.received[stack.upstream.received.length - 1]
  if (echo === undefined) throw new Error('no echo')
  return { reply, echo }
}

/** The request was refused with `status` and never reached the upstream. */
async function denied(options: Omit<SendOptions, 'port'>, status: number, reason?: string): Promise<Reply> {
  const before = stack.upstream.hits
  const reply = await through(options)
  expect(reply.status, reply.body).toBe(status)
  if (reason !== undefined) expect(reply.headers['x-auth-reason']).toBe(reason)
  expect(stack.upstream.hits, 'a denied request reached the upstream').toBe(before)
  return reply
}

function bearer(key: string): Record<string, string> {
  return { Authorization: `Bearer ${key}` }
}

describe('allow', () => {
  it('passes a public request with the route but no client identity', async () => {
    const { reply, echo } = await allowed({ path: '/pub/hello?x=1' })
    expect(echo.url).toBe('/pub/hello?x=1')
    expect(echo.headers['x-auth-route-id']).toEqual([s.routes.pub])
    expect(echo.headers['x-auth-service']).toEqual(['public-api'])
    expect(echo.headers['x-auth-client-id']).toBeUndefined()
    expect(reply.headers['x-auth-reason']).toBe('no_auth_required')
    expect(reply.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/)
  })

  it.each([
    ['Bearer', (key: string) => ({ path: '/key/a', headers: { Authorization: `Bearer ${key}` } })],
    ['ApiKey', (key: string) => ({ path: '/key/a', headers: { Authorization: `ApiKey ${key}` } })],
    ['?api_key=', (key: string) => ({ path: `/key/a?api_key=${encodeURIComponent(key)}` })],
  ])('accepts an API key as %s and names the client to the upstream', async (_how, request) => {
    const { echo } = await allowed(request(s.alice.apiKey))
    expect(echo.headers['x-auth-client-id']).toEqual([s.alice.id])
    expect(echo.headers['x-auth-client-name']).toEqual(['alice'])
    expect(echo.headers['x-auth-route-id']).toEqual([s.routes.key])
    expect(echo.headers['x-auth-service']).toEqual(['key-api'])
    expect(echo.headers['x-real-ip']).toEqual(['127.0.0.1'])
    // The credential authz consumed goes no further: no Authorization header, no api_key in the query.
    expect(echo.headers.authorization).toBeUndefined()
    expect(echo.url).toBe('/key/a')
  })

  it('cuts only the consumed api_key out of the query, every other byte as the client sent it', async () => {
    const { echo } = await allowed({ path: `/key/a?x=%41&api_key=${encodeURIComponent(s.alice.apiKey)}&y=1;z` })
    expect(echo.headers['x-auth-client-id']).toEqual([s.alice.id])
    expect(echo.url).toBe('/key/a?x=%41&y=1;z')
  })

  it('keeps the Authorization header of a public request, which authz did not use', async () => {
    const { echo } = await allowed({ path: '/pub/hello', headers: { Authorization: 'Bearer not-for-authz' } })
    expect(echo.headers['x-auth-client-id']).toBeUndefined()
    expect(echo.headers.authorization).toEqual(['Bearer not-for-authz'])
  })

  it("replaces a client's own identity headers with authz's", async () => {
    const { echo } = await allowed({
      path: '/key/a',
      headers: {
        ...bearer(s.alice.apiKey),
        'X-Auth-Client-ID': 'someone-else',
        'X-Auth-Client-Name': 'mallory',
        'X-Client-ID': 'someone-else',
        'X-Client-Name': 'mallory',
        'X-Route-ID': 'another-route',
      },
    })
    expect(echo.headers['x-auth-client-id']).toEqual([s.alice.id])
    expect(echo.headers['x-auth-client-name']).toEqual(['alice'])
    // An API built behind the original system reads the identity under its names.
    expect(echo.headers['x-client-id']).toEqual([s.alice.id])
    expect(echo.headers['x-client-name']).toEqual(['alice'])
    expect(echo.headers['x-route-id']).toEqual([s.routes.key])
  })

  it('drops identity headers a client sends on a public route', async () => {
    await checkIdentityNotSpoofable(checkContext(stack, nginx, s))
  })

  it('passes a POST body to the upstream (never to authz), with Content-Length or chunked', async () => {
    await checkPostBody(checkContext(stack, nginx, s))
    const body = 'x'.repeat(100_000)
    const { echo } = await allowed({
      method: 'POST',
      path: '/key/chunked',
      headers: bearer(s.alice.apiKey),
      body,
      chunked: true,
      timeoutMs: 5000,
    })
    expect(echo.bodyBytes).toBe(body.length)
    expect(echo.method).toBe('POST')
  })

  it('passes an upstream error through as it is (error_page only catches the auth subrequest)', async () => {
    const reply = await through({ path: '/pub/__status/500' })
    expect(reply.status).toBe(500)
    expect(reply.headers['content-type']).toBe('application/json')
    expect(JSON.parse(reply.body)).toMatchObject({ url: '/pub/__status/500' })
  })
})

describe('deny', () => {
  it('answers 401 with WWW-Authenticate for a missing key', async () => {
    const reply = await denied({ path: '/key/a' }, 401, 'missing_credentials')
    expect(reply.headers['www-authenticate']).toMatch(/Bearer realm="gatekeeper"/)
  })

  it('answers 401 for a wrong key, the same as for a missing one but for the reason', async () => {
    const wrong = `${s.alice.apiKey.slice(0, -4)}AAAA`
    const reply = await denied({ path: '/key/a', headers: bearer(wrong) }, 401, 'invalid_credentials')
    expect(reply.headers['www-authenticate']).toMatch(/ApiKey realm="gatekeeper"/)
  })

  it('answers 403 for a suspended client', async () => {
    await denied({ path: '/key/a', headers: bearer(s.suspended.apiKey) }, 403, 'client_suspended')
  })

  it('answers 403 for a route the client has no permission on', async () => {
    await denied({ path: '/admin/users', headers: bearer(s.alice.apiKey) }, 403, 'no_permission')
  })

  it('answers 403 for a method the client may not use, and for a method the route does not have', async () => {
    await denied({ method: 'DELETE', path: '/key/a', headers: bearer(s.alice.apiKey) }, 403, 'method_not_allowed')
    await denied({ method: 'PATCH', path: '/key/a', headers: bearer(s.alice.apiKey) }, 403, 'method_not_configured')
  })

  it('answers 403 for a path no route covers', async () => {
    await denied({ path: '/nowhere' }, 403, 'no_route_match')
  })

  it('never serves the auth location to clients (internal: a 404 before any auth)', async () => {
    await denied({ path: '/_gatekeeper/authz' }, 404)
  })
})

describe('HMAC v1', () => {
  function signed(method: string, path: string, body = '', secret = s.alice.secret) {
    return signRequestV1({ clientId: s.alice.id, secret, method, path, body }).authorization
  }

  it('allows a signed GET and names the client', async () => {
    const { echo } = await allowed({
      path: '/hmac/report?day=1',
      headers: { Authorization: signed('GET', '/hmac/report') },
    })
    expect(echo.headers['x-auth-client-id']).toEqual([s.alice.id])
    expect(echo.headers['x-auth-route-id']).toEqual([s.routes.hmac])
  })

  it('refuses the same signed request the second time (replay)', async () => {
    const authorization = signed('GET', '/hmac/once')
    await allowed({ path: '/hmac/once', headers: { Authorization: authorization } })
    await denied({ path: '/hmac/once', headers: { Authorization: authorization } }, 401)
  })

  it('refuses a signature made with the wrong secret, and an API key on an hmac route', async () => {
    await denied({ path: '/hmac/x', headers: { Authorization: signed('GET', '/hmac/x', '', 'not-the-secret') } }, 401)
    const reply = await denied({ path: '/hmac/x', headers: bearer(s.alice.apiKey) }, 401)
    expect(reply.headers['www-authenticate']).toBe('HMAC realm="gatekeeper"')
  })

  it('refuses a signature for another method or path', async () => {
    await denied({ method: 'POST', path: '/hmac/x', headers: { Authorization: signed('GET', '/hmac/x') } }, 401)
    await denied({ path: '/hmac/y', headers: { Authorization: signed('GET', '/hmac/x') } }, 401)
  })

  it('POST with a body: authz never sees the body, so v1 can only sign it as empty', async () => {
    const body = JSON.stringify({ amount: 10 })
    // Signed over the empty body authz receives: allowed, and the body reaches the upstream unverified.
    const { echo } = await allowed({
      method: 'POST',
      path: '/hmac/orders',
      headers: { Authorization: signed('POST', '/hmac/orders'), 'Content-Type': 'application/json' },
      body,
    })
    expect(echo.bodyBytes).toBe(Buffer.byteLength(body))
    // Signed over the body: authz checks it against the empty body nginx sends and refuses.
    await denied(
      {
        method: 'POST',
        path: '/hmac/orders',
        headers: { Authorization: signed('POST', '/hmac/orders', body), 'Content-Type': 'application/json' },
        body,
      },
      401,
    )
  })
})

describe('rate limits', () => {
  it('passes the quota to the client on allow and answers 429 with Retry-After and RateLimit fields', async () => {
    const key = bearer(s.limited.apiKey)
    for (let i = 0; i < LIMIT_PER_MINUTE; i++) {
      const { reply } = await allowed({ path: '/key/quota', headers: key })
      expect(reply.headers['x-ratelimit-limit']).toBe(String(LIMIT_PER_MINUTE))
      expect(reply.headers['x-ratelimit-remaining']).toBe(String(LIMIT_PER_MINUTE - 1 - i))
      expect(reply.headers.ratelimit).toMatch(new RegExp(`r=${LIMIT_PER_MINUTE - 1 - i}`))
      expect(reply.headers['ratelimit-policy']).toMatch(new RegExp(`q=${LIMIT_PER_MINUTE};w=60`))
    }
    const reply = await denied({ path: '/key/quota', headers: key }, 429, 'rate_limit_exceeded')
    expect(Number(reply.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    // The window is 60 s; the sliding window's bucket rounding may add a second.
    expect(Number(reply.headers['retry-after'])).toBeLessThanOrEqual(61)
    expect(reply.headers.ratelimit).toMatch(/r=0/)
    expect(reply.headers['ratelimit-policy']).toMatch(new RegExp(`q=${LIMIT_PER_MINUTE};w=60`))
    expect(JSON.parse(reply.body)).toEqual({ allowed: false, reason: 'rate_limit_exceeded' })
  })
})

describe('connections and addresses', () => {
  it('reuses keepalive connections to authz', async () => {
    const counted = await stack.nginx('protected-api.conf', { name: 'counted', countAuthzConnections: true })
    const { newConnections } = await checkKeepalive(checkContext(stack, counted, s), 50)
    expect(newConnections).toBeLessThanOrEqual(2)
  })

  it("tells authz the client's real address, whatever X-Original-Client-IP the client sends", async () => {
    await checkClientIpNotSpoofable(checkContext(stack, nginx, s))
  })

  it('logs the same request id at authz as the client receives', async () => {
    const reply = await through({ path: '/key/a', headers: bearer(s.alice.apiKey) })
    const requestId = reply.headers['x-request-id'] ?? ''
    const line = await stack.authz.auditFor(requestId)
    expect(line).toMatchObject({ allowed: true, client_id: s.alice.id, method: 'GET', path: '/key/a' })
  })
})
