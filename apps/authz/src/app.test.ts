import { generateApiKey, signRequestV1 } from '@gatekeeper/crypto'
import { EngineState } from '@gatekeeper/engine'
import {
  API_KEY,
  HMAC,
  makeApiKey,
  makeClient,
  makePermission,
  makeRoute,
  makeSecret,
  PUBLIC,
} from '@gatekeeper/engine/testing'
import { beforeEach, describe, expect, it } from 'vitest'
import { makeTestWorld, type TestWorld } from '../test/support/world'
import { createApp } from './app'

const HOST = 'api.example.com'

function setup(options: { audit?: boolean } = {}) {
  const w = makeTestWorld(options)
  const state = w.snapshot.state ?? new EngineState()
  const route = makeRoute({
    domain: HOST,
    routePattern: '/api/orders/*',
    serviceName: 'orders',
    methods: { GET: PUBLIC, POST: API_KEY, PUT: API_KEY, DELETE: HMAC },
  })
  const other = makeRoute({ domain: HOST, routePattern: '/api/admin/*', methods: { GET: API_KEY } })
  state.upsertRoute(route)
  state.upsertRoute(other)
  const client = makeClient({ clientName: 'Billing service' })
  const { key, credential } = makeApiKey(client.id)
  const secret = makeSecret(client.id)
  state.upsertClient(client)
  state.upsertCredential(credential)
  state.upsertCredential(secret)
  state.upsertPermission(makePermission(client.id, route.id, ['POST', 'DELETE']))
  const app = createApp(w.deps)

  function authz(headers: Record<string, string> | [string, string][], init: RequestInit = {}) {
    return app.request('/authz', { method: 'GET', ...init, headers: new Headers(headers) })
  }
  function base(over: Record<string, string> = {}): Record<string, string> {
    return { 'X-Original-URI': '/api/orders/42', 'X-Original-Method': 'POST', 'X-Original-Host': HOST, ...over }
  }
  function sign(opts: { method?: string; path?: string; body?: string; nonce?: string } = {}) {
    return signRequestV1({
      clientId: client.id,
      secret: secret.secret ?? '',
      method: opts.method ?? 'DELETE',
      path: opts.path ?? '/api/orders/42',
      timestamp: Math.floor(w.engine.clock.nowMs / 1000),
      ...(opts.body === undefined ? {} : { body: opts.body }),
      ...(opts.nonce === undefined ? {} : { nonce: opts.nonce }),
    }).authorization
  }
  return { w, state, app, route, other, client, key, credential, secret, authz, base, sign }
}

type Setup = ReturnType<typeof setup>

async function expectDenial(res: Response, status: number, reason: string): Promise<Record<string, unknown>> {
  expect(res.status).toBe(status)
  expect(res.headers.get('x-auth-reason')).toBe(reason)
  expect(res.headers.get('content-type')).toBe('application/json')
  const text = await res.text()
  expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)))
  const body = JSON.parse(text) as Record<string, unknown>
  expect(body).toMatchObject({ allowed: false, reason })
  return body
}

describe('/authz request model', () => {
  let s: Setup
  beforeEach(() => {
    s = setup()
  })

  it.each([
    ['X-Original-URI', 'missing X-Original-URI'],
    ['X-Original-Method', 'missing X-Original-Method'],
  ])('400 without %s, saying which', async (header, detail) => {
    const headers = s.base()
    delete headers[header]
    const body = await expectDenial(await s.authz(headers), 400, 'bad_request')
    expect(body.detail).toBe(detail)
  })

  it('400 for a method that is not an HTTP token', async () => {
    for (const method of ['GE T', 'GET,POST', 'G(T', 'X'.repeat(33)]) {
      const body = await expectDenial(await s.authz(s.base({ 'X-Original-Method': method })), 400, 'bad_request')
      expect(body.detail).toBe('malformed X-Original-Method')
    }
  })

  it('X-Original-Host is required, falling back to Host; port and case are ignored', async () => {
    const headers = s.base({ 'X-Original-Method': 'GET' })
    delete headers['X-Original-Host']
    const body = await expectDenial(await s.authz(headers), 400, 'bad_request')
    expect(body.detail).toMatch(/^X-Original-Host \(or Host\): missing/)
    expect((await s.authz({ ...headers, Host: 'API.Example.com:8443' })).status).toBe(200)
    // X-Original-Host wins over Host.
    expect((await s.authz({ ...headers, Host: HOST, 'X-Original-Host': 'other.example.com' })).status).toBe(403)
  })

  it.each([
    ['a b.example.com', 'whitespace'],
    ['user@api.example.com', 'userinfo'],
    ['api.example.com:99999', 'invalid_port'],
  ])('400 for a malformed host %s', async (host, reason) => {
    const body = await expectDenial(await s.authz(s.base({ 'X-Original-Host': host })), 400, 'bad_request')
    expect(body.detail).toBe(`X-Original-Host: ${reason}`)
  })

  it.each([
    ['api/orders/1', 'not_absolute_path'],
    [`/api/orders/${'a'.repeat(9000)}`, 'too_long'],
  ])('400 bad_request for a target that is not a path: %s', async (uri, reason) => {
    const body = await expectDenial(await s.authz(s.base({ 'X-Original-URI': uri })), 400, 'bad_request')
    expect(body.detail).toBe(`X-Original-URI: ${reason}`)
  })

  it.each([
    ['/api/orders/../admin/x', 'dot_segment'],
    ['/api/orders/%2e%2E/admin/x', 'dot_segment'],
    ['/api/orders/.%2E/admin/x', 'dot_segment'],
    ['/api/orders/./1', 'dot_segment'],
    ['/api/orders//../admin/x', 'empty_segment'],
    ['/api//orders/1', 'empty_segment'],
    ['/api/orders/%2F..%2Fadmin', 'encoded_slash'],
    ['/api/orders/..%5Cadmin', 'backslash'],
    ['/api/orders/%00', 'control_character'],
    ['/api/orders/%zz', 'invalid_percent_encoding'],
    ['/api/orders/%c0%ae%c0%ae/admin', 'invalid_utf8'],
    ['/api/orders/%252e%252e/admin', 'double_encoding'],
    ['/api/orders/%31', 'encoded_unreserved'],
    ['/api/%61dmin/x', 'encoded_unreserved'],
    ['/api/orders/..;/admin', 'path_parameter'],
    ['/api/orders;v=1/1', 'path_parameter'],
    ['/api/orders/1#x', 'fragment'],
  ])('400 ambiguous_path for a target programs read differently: %s', async (uri, reason) => {
    const res = await s.authz(s.base({ 'X-Original-URI': `${uri}?api_key=SECRET-VALUE`, 'X-Original-Method': 'GET' }))
    const body = await expectDenial(res, 400, 'ambiguous_path')
    expect(body.detail).toBe(reason)
    // The audit line names the raw target (api_key values redacted), so the attempt is visible.
    expect(s.w.audit.at(-1)).toMatchObject({
      status: 400,
      reason: 'ambiguous_path',
      detail: reason,
      path: uri,
      target: `${uri}?api_key=[redacted]`,
    })
  })

  it('decides a canonical path exactly as before, with no target in the audit line', async () => {
    const res = await s.authz(s.base({ 'X-Original-URI': '/api/orders/ABC-123/x_y~z?q=1', 'X-Original-Method': 'GET' }))
    expect(res.status).toBe(200)
    expect(s.w.audit.at(-1)).toMatchObject({ path: '/api/orders/ABC-123/x_y~z', target: undefined })
    expect(
      (await s.authz(s.base({ 'X-Original-URI': '/api/orders/caf%C3%A9/', 'X-Original-Method': 'GET' }))).status,
    ).toBe(200)
  })

  it('logs the raw target when the decided path is its canonical form', async () => {
    const res = await s.authz(s.base({ 'X-Original-URI': '/api/orders/a%40b', 'X-Original-Method': 'GET' }))
    expect(res.status).toBe(200)
    expect(s.w.audit.at(-1)).toMatchObject({ path: '/api/orders/a@b', target: '/api/orders/a%40b' })
  })

  it('400 ambiguous_path when a case or trailing-slash variant selects another route', async () => {
    s.state.upsertRoute(makeRoute({ domain: HOST, routePattern: '/*', methods: { GET: PUBLIC } }))
    s.state.upsertRoute(makeRoute({ domain: HOST, routePattern: '/secret/*', methods: { GET: API_KEY } }))
    s.state.upsertRoute(makeRoute({ domain: HOST, routePattern: '/exact/x', methods: { GET: API_KEY } }))
    const get = (uri: string) => s.authz(s.base({ 'X-Original-URI': uri, 'X-Original-Method': 'GET' }))
    const body = await expectDenial(await get('/SECRET/x'), 400, 'ambiguous_path')
    expect(body.detail).toBe('case_variant_route')
    expect(s.w.audit.at(-1)).toMatchObject({
      reason: 'ambiguous_path',
      detail: 'case_variant_route',
      target: '/SECRET/x',
    })
    expect((await expectDenial(await get('/exact/x/'), 400, 'ambiguous_path')).detail).toBe(
      'trailing_slash_variant_route',
    )
    await expectDenial(await get('/secret/x'), 401, 'missing_credentials')
    expect((await get('/public/X/')).status).toBe(200)
  })

  it('AUTHZ_REQUIRE_KNOWN_HOST: a host no route names is 403 unknown_host, also for `*` routes', async () => {
    s.state.upsertRoute(makeRoute({ domain: '*', routePattern: '/docs/*', methods: { GET: PUBLIC } }))
    const get = (host: string) =>
      s.authz(s.base({ 'X-Original-URI': '/docs/x', 'X-Original-Method': 'GET', 'X-Original-Host': host }))
    // Off: the `*` route serves any host.
    expect((await get('anything.invalid')).status).toBe(200)
    s.w.engine.requireKnownHost = true
    s.w.engine.knownHosts = new Set(['docs.example.org'])
    await expectDenial(await get('anything.invalid'), 403, 'unknown_host')
    await expectDenial(await get('api.example.com.evil'), 403, 'unknown_host')
    expect(s.w.audit.at(-1)).toMatchObject({ status: 403, reason: 'unknown_host', domain: 'api.example.com.evil' })
    expect((await get(HOST)).status).toBe(200)
    expect((await get('docs.example.org')).status).toBe(200)
  })

  it('a duplicated X-Original-* header (joined by Fetch) is refused', async () => {
    const res = await s.authz([
      ['X-Original-URI', '/api/orders/1'],
      ['X-Original-URI', '/api/admin/1'],
      ['X-Original-Method', 'GET'],
      ['X-Original-Host', HOST],
    ])
    // Joined with ", ": a raw space, never a path.
    await expectDenial(res, 400, 'ambiguous_path')
  })

  it('two Authorization values are 400 ambiguous_credential, even two copies of a valid key', async () => {
    const res = await s.authz([
      ...Object.entries(s.base()),
      ['Authorization', `Bearer ${s.key}`],
      ['Authorization', `Bearer ${s.key}`],
    ])
    const body = await expectDenial(res, 400, 'ambiguous_credential')
    expect(body.detail).toBe('multiple_authorization_values')
  })

  it('a credential in more than one place is 400 ambiguous_credential, before any decision', async () => {
    const other = generateApiKey()
    const cases: Array<[Record<string, string>, string]> = [
      [
        { 'X-Original-URI': `/api/orders/42?api_key=${other}`, Authorization: `Bearer ${s.key}` },
        'header_and_query_credentials',
      ],
      [
        { 'X-Original-URI': `/api/orders/42?api_key=${s.key}`, Authorization: `Bearer ${s.key}` },
        'header_and_query_credentials',
      ],
      [{ 'X-Original-URI': `/api/orders/42?api_key=${s.key}&api_key=${s.key}` }, 'multiple_api_key_parameters'],
      [
        { 'X-Original-URI': `/api/orders/42?API_KEY=${other}`, Authorization: `Bearer ${s.key}` },
        'api_key_lookalike_parameter',
      ],
      [
        { 'X-Original-URI': `/api/orders/42?api_key[]=${other}`, Authorization: `Bearer ${s.key}` },
        'api_key_lookalike_parameter',
      ],
      [
        { 'X-Original-URI': `/api/orders/42?api_key%00=${other}`, Authorization: `Bearer ${s.key}` },
        'api_key_lookalike_parameter',
      ],
      [
        { 'X-Original-URI': `/api/orders/42?x=1;api_key=${other}`, Authorization: `Bearer ${s.key}` },
        'api_key_with_semicolon',
      ],
      [{ Authorization: `Bearer ${s.key}`, 'X-API-Key': other }, 'api_key_header_with_credential'],
      [{ Authorization: `Bearer ${s.key}`, 'Api-Key': other }, 'api_key_header_with_credential'],
      // Even on a public method: the upstream would read a credential authz never checked.
      [
        { 'X-Original-Method': 'GET', 'X-Original-URI': `/api/orders/42?API_KEY=${other}` },
        'api_key_lookalike_parameter',
      ],
    ]
    for (const [headers, detail] of cases) {
      const body = await expectDenial(await s.authz(s.base(headers)), 400, 'ambiguous_credential')
      expect(body.detail).toBe(detail)
      const line = s.w.audit.at(-1)
      expect(line).toMatchObject({ reason: 'ambiguous_credential', detail })
      expect(JSON.stringify(line)).not.toContain(other)
      expect(JSON.stringify(line)).not.toContain(s.key)
    }
  })

  it('an allow on a query key names the target without it (X-Auth-Upstream-URI)', async () => {
    const res = await s.authz(s.base({ 'X-Original-URI': `/api/orders/42?a=1&api_key=${s.key}&b=%2F` }))
    expect(res.status).toBe(200)
    expect(res.headers.get('x-auth-upstream-uri')).toBe('/api/orders/42?a=1&b=%2F')
    const only = await s.authz(s.base({ 'X-Original-URI': `/api/orders/42?api_key=${s.key}` }))
    expect(only.headers.get('x-auth-upstream-uri')).toBe('/api/orders/42')
    // A key in the header: the target is the client's own, no header.
    const header = await s.authz(s.base({ 'X-Original-URI': '/api/orders/42?a=1', Authorization: `Bearer ${s.key}` }))
    expect(header.status).toBe(200)
    expect(header.headers.get('x-auth-upstream-uri')).toBeNull()
    // A query key on a public method still never reaches the upstream.
    const open = await s.authz(
      s.base({ 'X-Original-Method': 'GET', 'X-Original-URI': `/api/orders/1?api_key=${s.key}` }),
    )
    expect(open.status).toBe(200)
    expect(open.headers.get('x-auth-upstream-uri')).toBe('/api/orders/1')
    // A denial carries none.
    const denied = await s.authz(
      s.base({ 'X-Original-URI': `/api/admin/x?api_key=${s.key}`, 'X-Original-Method': 'GET' }),
    )
    expect(denied.status).toBe(403)
    expect(denied.headers.get('x-auth-upstream-uri')).toBeNull()
  })

  it.each([
    ['Bearer', (k: string) => ({ Authorization: `Bearer ${k}` })],
    ['ApiKey', (k: string) => ({ Authorization: `ApiKey ${k}` })],
    ['a bare key', (k: string) => ({ Authorization: k })],
    ['?api_key=', (k: string) => ({ 'X-Original-URI': `/api/orders/42?x=1&api_key=${k}` })],
  ])('accepts the key as %s', async (_how, place) => {
    expect((await s.authz(s.base(place(s.key)))).status).toBe(200)
  })

  it('answers any method on /authz the same way (nginx sends GET, direct callers may not)', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'HEAD']) {
      const res = await s.authz(s.base({ Authorization: `Bearer ${s.key}` }), { method })
      expect(res.status).toBe(200)
    }
  })
})

describe('/authz responses', () => {
  let s: Setup
  beforeEach(() => {
    s = setup()
  })

  it('allow: 200, empty body with content-length 0, identity headers', async () => {
    const res = await s.authz(s.base({ Authorization: `Bearer ${s.key}` }))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-length')).toBe('0')
    expect(await res.text()).toBe('')
    expect(res.headers.get('x-auth-client-id')).toBe(s.client.id)
    expect(res.headers.get('x-auth-client-name')).toBe('Billing service')
    expect(res.headers.get('x-auth-route-id')).toBe(s.route.id)
    expect(res.headers.get('x-auth-service')).toBe('orders')
    expect(res.headers.get('x-auth-reason')).toBe('authenticated')
    // The original system's names for the same identity, for nginx configs and APIs written against it.
    expect(res.headers.get('x-client-id')).toBe(s.client.id)
    expect(res.headers.get('x-client-name')).toBe('Billing service')
    expect(res.headers.get('x-route-id')).toBe(s.route.id)
    expect(res.headers.get('ratelimit')).toBeNull()
    expect(res.headers.get('www-authenticate')).toBeNull()
  })

  it('a public method: 200 with route and service, no client', async () => {
    const res = await s.authz(s.base({ 'X-Original-Method': 'GET' }))
    expect(res.status).toBe(200)
    expect(res.headers.get('x-auth-reason')).toBe('no_auth_required')
    expect(res.headers.get('x-auth-route-id')).toBe(s.route.id)
    expect(res.headers.get('x-route-id')).toBe(s.route.id)
    expect(res.headers.get('x-auth-client-id')).toBeNull()
    expect(res.headers.get('x-client-id')).toBeNull()
    expect(res.headers.get('x-client-name')).toBeNull()
  })

  it('non-ASCII and % in names are percent-encoded (UTF-8), and decode back', async () => {
    const name = 'Café Ω 100% ✓'
    s.state.upsertClient({ ...s.client, clientName: name })
    const res = await s.authz(s.base({ Authorization: `Bearer ${s.key}` }))
    const header = res.headers.get('x-auth-client-name') ?? ''
    expect(header).toMatch(/^[\x20-\x7e]+$/)
    expect(header).toBe('Caf%C3%A9 %CE%A9 100%25 %E2%9C%93')
    expect(decodeURIComponent(header)).toBe(name)
    expect(res.headers.get('x-client-name')).toBe(header)
  })

  it('no credentials on an api_key method: 401 naming Bearer, ApiKey and HMAC', async () => {
    const res = await s.authz(s.base())
    await expectDenial(res, 401, 'missing_credentials')
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="gatekeeper", ApiKey realm="gatekeeper", HMAC realm="gatekeeper"',
    )
  })

  it('an hmac method names only HMAC; a key there is 401 signature_required', async () => {
    const res = await s.authz(s.base({ 'X-Original-Method': 'DELETE', Authorization: `Bearer ${s.key}` }))
    await expectDenial(res, 401, 'signature_required')
    expect(res.headers.get('www-authenticate')).toBe('HMAC realm="gatekeeper"')
  })

  it('nothing tells an unknown key from a mistyped, expired or orphaned one', async () => {
    const expired = makeApiKey(s.client.id, { expiresAt: new Date(s.w.engine.clock.nowMs - 1) })
    const orphan = makeApiKey('00000000-0000-4000-8000-000000000000')
    s.state.upsertCredential(expired.credential)
    s.state.upsertCredential(orphan.credential)
    const mistyped = `${s.key.slice(0, -1)}${s.key.endsWith('A') ? 'B' : 'A'}`
    const seen = new Set<string>()
    for (const k of [generateApiKey(), mistyped, expired.key, orphan.key, 'legacy-unknown-key-000000']) {
      const res = await s.authz(s.base({ Authorization: `Bearer ${k}` }))
      const headers = [...res.headers].filter(([name]) => name !== 'x-request-id' && name !== 'date')
      seen.add(JSON.stringify({ status: res.status, headers, body: await res.text() }))
    }
    expect(seen.size).toBe(1)
    expect([...seen][0]).toContain('invalid_credentials')
    // The audit log does know why.
    expect(new Set(s.w.audit.map((e) => e.detail))).toEqual(
      new Set(['unknown_key', 'malformed_key', 'expired_key', 'unknown_client']),
    )
  })

  it.each([
    ['suspended', 'client_suspended'],
    ['revoked', 'client_revoked'],
  ] as const)('a %s client: 403 %s without WWW-Authenticate', async (status, reason) => {
    s.state.upsertClient({ ...s.client, status })
    const res = await s.authz(s.base({ Authorization: `Bearer ${s.key}` }))
    await expectDenial(res, 403, reason)
    expect(res.headers.get('www-authenticate')).toBeNull()
  })

  it('no route, unconfigured method, no grant, method not granted: 403 each with its reason', async () => {
    const auth = { Authorization: `Bearer ${s.key}` }
    await expectDenial(await s.authz(s.base({ ...auth, 'X-Original-URI': '/nowhere' })), 403, 'no_route_match')
    await expectDenial(await s.authz(s.base({ ...auth, 'X-Original-Method': 'PATCH' })), 403, 'method_not_configured')
    const admin = s.base({ ...auth, 'X-Original-URI': '/api/admin/1', 'X-Original-Method': 'GET' })
    await expectDenial(await s.authz(admin), 403, 'no_permission')
    await expectDenial(await s.authz(s.base({ ...auth, 'X-Original-Method': 'PUT' })), 403, 'method_not_allowed')
  })

  it('rate limited: 429 with Retry-After and the RateLimit fields; allowed requests carry the quota', async () => {
    s.state.upsertRateLimit({ clientId: s.client.id, requestsPerDay: null, requestsPerMinute: 10 })
    const quota = { 'RateLimit-Policy': '"minute";q=10;w=60', RateLimit: '"minute";r=3;t=20' }
    s.w.engine.admission.limitVerdict = { outcome: 'allowed', headers: quota }
    const ok = await s.authz(s.base({ Authorization: `Bearer ${s.key}` }))
    expect(ok.status).toBe(200)
    expect(ok.headers.get('ratelimit')).toBe('"minute";r=3;t=20')
    expect(ok.headers.get('content-length')).toBe('0')

    s.w.engine.admission.limitVerdict = {
      outcome: 'rate_limited',
      retryAfterSeconds: 17,
      headers: { 'RateLimit-Policy': '"minute";q=10;w=60', RateLimit: '"minute";r=0;t=17', 'Retry-After': '17' },
    }
    const res = await s.authz(s.base({ Authorization: `Bearer ${s.key}` }))
    await expectDenial(res, 429, 'rate_limit_exceeded')
    expect(res.headers.get('retry-after')).toBe('17')
    expect(res.headers.get('ratelimit-policy')).toBe('"minute";q=10;w=60')
    expect(res.headers.get('ratelimit')).toBe('"minute";r=0;t=17')
  })

  it('429 without store headers still says when to retry', async () => {
    s.state.upsertRateLimit({ clientId: s.client.id, requestsPerDay: 5, requestsPerMinute: null })
    s.w.engine.admission.limitVerdict = { outcome: 'rate_limited', retryAfterSeconds: 9 }
    const res = await s.authz(s.base({ Authorization: `Bearer ${s.key}` }))
    await expectDenial(res, 429, 'rate_limit_exceeded')
    expect(res.headers.get('retry-after')).toBe('9')
  })

  it('before the first snapshot: 503 not_ready', async () => {
    s.w.snapshot.state = undefined
    const res = await s.authz(s.base({ Authorization: `Bearer ${s.key}` }))
    await expectDenial(res, 503, 'not_ready')
    expect(res.headers.get('retry-after')).toBe('1')
  })

  it('store unavailable (fail closed): 503 store_unavailable', async () => {
    s.w.engine.admission.override = { outcome: 'unavailable', which: 'nonce' }
    const res = await s.authz(s.base({ 'X-Original-Method': 'DELETE', Authorization: s.sign() }))
    await expectDenial(res, 503, 'store_unavailable')
  })

  it('HMAC: a signed request is allowed once, its replay is 401 replayed_nonce', async () => {
    const authorization = s.sign({ nonce: 'app-test-nonce-1' })
    const headers = s.base({ 'X-Original-Method': 'DELETE', Authorization: authorization })
    expect((await s.authz(headers)).status).toBe(200)
    const replay = await s.authz(headers)
    await expectDenial(replay, 401, 'replayed_nonce')
    expect(replay.headers.get('www-authenticate')).toBe('HMAC realm="gatekeeper"')
  })

  it('HMAC from a direct caller: the posted body is what is verified', async () => {
    const body = '{"amount":100}'
    const authorization = s.sign({ body })
    const headers = s.base({ 'X-Original-Method': 'DELETE', Authorization: authorization })
    expect((await s.authz(headers, { method: 'POST', body })).status).toBe(200)
    const tampered = s.base({ 'X-Original-Method': 'DELETE', Authorization: s.sign({ body }) })
    await expectDenial(await s.authz(tampered, { method: 'POST', body: '{"amount":999}' }), 401, 'invalid_credentials')
    // Without the body (as nginx sends it) a body-signed request does not verify either.
    await expectDenial(
      await s.authz(s.base({ 'X-Original-Method': 'DELETE', Authorization: s.sign({ body }) })),
      401,
      'invalid_credentials',
    )
  })

  it('a body over 1 MiB is refused before verification', async () => {
    const headers = s.base({ 'X-Original-Method': 'DELETE', Authorization: s.sign() })
    const res = await s.authz(headers, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) })
    const body = await expectDenial(res, 400, 'bad_request')
    expect(body.detail).toBe('body_too_large')
  })
})

describe('/authz audit and metrics', () => {
  it('one audit line per decision, without credentials', async () => {
    const s = setup()
    // X-Real-IP is not read; in-process there is no socket, so the address is unknown.
    await s.authz(s.base({ Authorization: `Bearer ${s.key}`, 'X-Request-ID': 'req-123', 'X-Real-IP': '198.51.100.7' }))
    await s.authz(s.base({ 'X-Original-URI': `/api/orders/1?api_key=${s.key}&q=secret` }))
    await s.authz(s.base({ 'X-Original-Method': 'DELETE', Authorization: s.sign() }))
    expect(s.w.audit).toHaveLength(3)
    expect(s.w.audit[0]).toMatchObject({
      request_id: 'req-123',
      client_ip: 'unknown',
      client_id: s.client.id,
      client_name: 'Billing service',
      domain: HOST,
      path: '/api/orders/42',
      route_id: s.route.id,
      method: 'POST',
      allowed: true,
      reason: 'authenticated',
    })
    expect(s.w.audit[0]?.duration_ms).toBeGreaterThanOrEqual(0)
    expect(s.w.audit[1]?.path).toBe('/api/orders/1')
    const text = JSON.stringify(s.w.audit)
    expect(text).not.toContain(s.key)
    expect(text).not.toContain(s.secret.secret)
    expect(text).not.toContain('signature')
    expect(text).not.toContain('api_key=')
  })

  it('generates a request id when X-Request-ID is missing or not a sane token', async () => {
    const s = setup()
    await s.authz(s.base({ 'X-Request-ID': 'bad id\twith spaces' }))
    await s.authz(s.base())
    const [a, b] = s.w.audit.map((e) => e.request_id)
    expect(a).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/)
    expect(b).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/)
    expect(a).not.toBe(b)
  })

  it('AUDIT_LOG=false: no audit line, decisions unchanged', async () => {
    const s = setup({ audit: false })
    expect((await s.authz(s.base({ Authorization: `Bearer ${s.key}` }))).status).toBe(200)
    expect(s.w.audit).toHaveLength(0)
  })

  it('metrics label by route id or `unmatched`, known methods or OTHER, never a path', async () => {
    const s = setup()
    await s.authz(s.base({ 'X-Original-URI': '/secret-path-xyz', 'X-Original-Method': 'GET' }))
    await s.authz(s.base({ 'X-Original-Method': 'FROB' }))
    await s.authz(s.base({ Authorization: `Bearer ${s.key}` }))
    await s.authz(s.base({ 'X-Original-URI': '/%2e%2e/x' }))
    await s.authz(s.base({ 'X-Original-URI': '/x', Authorization: 'Bearer a, Bearer b' }))
    const text = await (await s.app.request('/metrics')).text()
    expect(text).toContain(
      'gatekeeper_authz_decisions_total{result="denied",reason="no_route_match",method="GET",route="unmatched"} 1',
    )
    expect(text).toContain(
      `gatekeeper_authz_decisions_total{result="denied",reason="method_not_configured",method="OTHER",route="${s.route.id}"} 1`,
    )
    expect(text).toContain(
      `gatekeeper_authz_decisions_total{result="allowed",reason="authenticated",method="POST",route="${s.route.id}"} 1`,
    )
    expect(text).toContain('reason="ambiguous_path",method="POST",route="unmatched"} 1')
    expect(text).toContain('reason="ambiguous_credential",method="POST",route="unmatched"} 1')
    expect(text).toContain('gatekeeper_authz_decision_duration_seconds_bucket{le="0.00005"}')
    expect(text).toContain('gatekeeper_authz_decision_duration_seconds_count 5')
    expect(text).not.toContain('secret-path-xyz')
    expect(text).not.toContain('FROB')
  })
})

describe('/health', () => {
  function health(w: TestWorld) {
    return createApp(w.deps).request('/health')
  }

  it('ready and current: 200 ok with the snapshot figures', async () => {
    const s = setup()
    const res = await health(s.w)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      status: 'ok',
      ready: true,
      snapshot: { loaded: true, version: 1, age_seconds: 2, routes: 2, clients: 1, credentials: 2, permissions: 1 },
      postgres: 'up',
      redis: 'memory',
    })
  })

  it('Postgres or Redis down: still 200 (it decides from memory) but degraded', async () => {
    const s = setup()
    s.w.snapshot.postgres = 'down'
    const res = await health(s.w)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'degraded', ready: true, postgres: 'down' })
    s.w.snapshot.postgres = 'up'
    s.w.redis.state = 'down'
    expect(await (await health(s.w)).json()).toMatchObject({ status: 'degraded', redis: 'down' })
  })

  it('no snapshot yet: 503 starting', async () => {
    const s = setup()
    s.w.snapshot.state = undefined
    const res = await health(s.w)
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({ status: 'starting', ready: false, snapshot: { loaded: false } })
  })

  it('nothing else is served', async () => {
    const s = setup()
    expect((await s.app.request('/')).status).toBe(404)
    expect((await s.app.request('/authz/x')).status).toBe(404)
  })
})
