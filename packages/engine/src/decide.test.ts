import { generateApiKey, signRequestV1 } from '@gatekeeper/crypto'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import {
  API_KEY,
  HMAC,
  makeApiKey,
  makeDeps,
  makeRoute,
  makeSecret,
  PUBLIC,
  type TestDeps,
} from '../test/support/engine'
import { addKeyedClient, HOST } from '../test/support/world'
import { type Credentials, extractCredentials } from './credentials'
import { type AdmissionRequest, type DecisionRequest, decide } from './decide'
import { normalizePath } from './normalize-path'
import { EngineState } from './state'
import type { ClientInput, Decision } from './types'

async function settle(d: Decision | Promise<Decision>): Promise<Decision> {
  return d instanceof Promise ? await d : d
}

function world() {
  const deps = makeDeps()
  const state = new EngineState()
  const route = makeRoute({
    domain: HOST,
    routePattern: '/api/things/*',
    methods: {
      GET: PUBLIC,
      POST: API_KEY,
      PUT: API_KEY,
      DELETE: HMAC,
      PATCH: { auth_required: true, auth_type: 'hmac', signature_version: 'v2' },
    },
  })
  const ungranted = makeRoute({ domain: HOST, routePattern: '/api/secret/*', methods: { POST: API_KEY } })
  state.upsertRoute(route)
  state.upsertRoute(ungranted)

  const { client, key, credential, secret } = addKeyedClient(state, route.id, ['GET', 'POST', 'DELETE', 'PATCH'])

  const request = (over: Partial<DecisionRequest> = {}): DecisionRequest => {
    const path = over.path ?? '/api/things/1'
    return { method: 'POST', host: HOST, path, rawPath: path, credentials: { kind: 'none' }, ...over }
  }
  const withKey = (k: string): Credentials => ({ kind: 'api_key', key: k, source: 'header' })
  const signed = (over: { method?: string; path?: string; secret?: string; timestamp?: number; nonce?: string }) => {
    const s = signRequestV1({
      clientId: client.id,
      secret: over.secret ?? secret.secret ?? '',
      method: over.method ?? 'DELETE',
      path: over.path ?? '/api/things/1',
      timestamp: over.timestamp ?? Math.floor(deps.clock.nowMs / 1000),
      ...(over.nonce === undefined ? {} : { nonce: over.nonce }),
    })
    return { kind: 'hmac', header: s.authorization } as const
  }
  return { deps, state, route, ungranted, client, key, credential, request, withKey, signed }
}

function run(w: { state: EngineState; deps: TestDeps }, req: DecisionRequest) {
  return settle(decide(w.state, req, w.deps))
}

describe('decide: routing and public methods', () => {
  it('no route: 403 no_route_match, without a route id', async () => {
    const w = world()
    expect(await run(w, w.request({ path: '/nothing' }))).toEqual({
      allowed: false,
      status: 403,
      reason: 'no_route_match',
    })
    expect(await run(w, w.request({ host: 'other.example.com' }))).toMatchObject({ reason: 'no_route_match' })
  })

  it('method not configured on the route: 403 method_not_configured', async () => {
    const w = world()
    expect(await run(w, w.request({ method: 'OPTIONS' }))).toMatchObject({
      allowed: false,
      status: 403,
      reason: 'method_not_configured',
      routeId: w.route.id,
    })
    // Methods are case-sensitive: `post` is not POST.
    expect(await run(w, w.request({ method: 'post' }))).toMatchObject({ reason: 'method_not_configured' })
  })

  it('public method: allowed synchronously, whatever credentials come with it', () => {
    const w = world()
    for (const credentials of [
      { kind: 'none' },
      { kind: 'invalid', reason: 'unsupported_scheme' },
      w.withKey('nonsense'),
    ] as Credentials[]) {
      const d = decide(w.state, w.request({ method: 'GET', credentials }), w.deps)
      expect(d).not.toBeInstanceOf(Promise)
      expect(d).toEqual({
        allowed: true,
        status: 200,
        reason: 'no_auth_required',
        routeId: w.route.id,
        serviceName: w.route.serviceName,
      })
    }
  })

  it('an exact-domain prefix route beats a `*`-domain exact-path public route (the original got this wrong)', async () => {
    const w = world()
    w.state.upsertRoute(makeRoute({ domain: '*', routePattern: '/api/things/1', methods: { POST: PUBLIC } }))
    expect(await run(w, w.request())).toMatchObject({ allowed: false, reason: 'missing_credentials' })
    expect(await run(w, w.request({ host: 'elsewhere.test' }))).toMatchObject({ reason: 'no_auth_required' })
  })
})

describe('decide: HEAD is decided as the GET an API framework runs for it', () => {
  function headWorld(methods: Record<string, typeof PUBLIC>, granted: string[]) {
    const deps = makeDeps()
    const state = new EngineState()
    const route = makeRoute({ domain: HOST, routePattern: '/r/*', methods })
    state.upsertRoute(route)
    const { key } = addKeyedClient(state, route.id, granted)
    const head = (credentials: Credentials): DecisionRequest => ({
      method: 'HEAD',
      host: HOST,
      path: '/r/x',
      rawPath: '/r/x',
      credentials,
    })
    return { deps, state, route, key, head }
  }
  const withKey = (k: string): Credentials => ({ kind: 'api_key', key: k, source: 'header' })

  it('a public GET makes HEAD public, where HEAD is not configured', async () => {
    const w = headWorld({ GET: PUBLIC }, [])
    expect(await run(w, w.head({ kind: 'none' }))).toMatchObject({ allowed: true, reason: 'no_auth_required' })
  })

  it("a HEAD configured public does not open a protected GET's handler", async () => {
    const w = headWorld({ GET: API_KEY, HEAD: PUBLIC }, ['GET'])
    expect(await run(w, w.head({ kind: 'none' }))).toMatchObject({ allowed: false, reason: 'missing_credentials' })
    expect(await run(w, w.head(withKey(w.key)))).toMatchObject({ allowed: true, reason: 'authenticated' })
  })

  it('a client granted HEAD but not GET is refused; one granted GET may HEAD', async () => {
    const onlyHead = headWorld({ GET: API_KEY, HEAD: API_KEY }, ['HEAD'])
    expect(await run(onlyHead, onlyHead.head(withKey(onlyHead.key)))).toMatchObject({
      allowed: false,
      reason: 'method_not_allowed',
    })
    const onlyGet = headWorld({ GET: API_KEY }, ['GET'])
    expect(await run(onlyGet, onlyGet.head(withKey(onlyGet.key)))).toMatchObject({ allowed: true })
  })

  it("HEAD's own entry decides on a route without GET", async () => {
    const w = headWorld({ HEAD: PUBLIC, POST: API_KEY }, [])
    expect(await run(w, w.head({ kind: 'none' }))).toMatchObject({ allowed: true, reason: 'no_auth_required' })
    const none = headWorld({ POST: API_KEY }, [])
    expect(await run(none, none.head({ kind: 'none' }))).toMatchObject({ reason: 'method_not_configured' })
  })
})

describe('decide: API keys', () => {
  it('a valid key: allowed synchronously with client and route', () => {
    const w = world()
    const d = decide(w.state, w.request({ credentials: w.withKey(w.key) }), w.deps)
    expect(d).not.toBeInstanceOf(Promise)
    expect(d).toEqual({
      allowed: true,
      status: 200,
      reason: 'authenticated',
      routeId: w.route.id,
      serviceName: w.route.serviceName,
      clientId: w.client.id,
      clientName: w.client.clientName,
      credentialId: w.credential.id,
    })
  })

  it('from the query string too (through extractCredentials)', async () => {
    const w = world()
    const credentials = extractCredentials(undefined, `x=1&api_key=${w.key}`)
    expect(await run(w, w.request({ credentials }))).toMatchObject({ reason: 'authenticated' })
  })

  it('no credentials: 401 missing_credentials naming what the method accepts', async () => {
    const w = world()
    expect(await run(w, w.request())).toMatchObject({ status: 401, reason: 'missing_credentials', authType: 'api_key' })
    expect(await run(w, w.request({ method: 'DELETE' }))).toMatchObject({ status: 401, authType: 'hmac' })
  })

  it('unknown key, bad checksum, expired key and orphaned key look the same to the caller', async () => {
    const w = world()
    const badChecksum = `${w.key.slice(0, -1)}${w.key.endsWith('A') ? 'B' : 'A'}`
    const expired = makeApiKey(w.client.id, { expiresAt: new Date(w.deps.clock.nowMs) })
    const orphan = makeApiKey('no-such-client')
    w.state.upsertCredential(expired.credential)
    w.state.upsertCredential(orphan.credential)
    const seen = []
    for (const k of [generateApiKey(), badChecksum, expired.key, orphan.key, 'legacy-key-never-issued-0001']) {
      const d = await run(w, w.request({ credentials: w.withKey(k) }))
      const { logDetail, ...visible } = d as Decision & { logDetail?: string }
      expect(logDetail).toBeDefined()
      seen.push(visible)
    }
    for (const v of seen) {
      expect(v).toEqual({
        allowed: false,
        status: 401,
        reason: 'invalid_credentials',
        routeId: w.route.id,
        serviceName: w.route.serviceName,
        authType: 'api_key',
      })
    }
  })

  it('checks the checksum before any lookup', async () => {
    const w = world()
    const digest = vi.fn(w.deps.digestApiKey)
    w.deps.digestApiKey = digest
    const badChecksum = `${w.key.slice(0, -1)}${w.key.endsWith('A') ? 'B' : 'A'}`
    expect(await run(w, w.request({ credentials: w.withKey(badChecksum) }))).toMatchObject({
      reason: 'invalid_credentials',
      logDetail: 'malformed_key',
    })
    expect(digest).not.toHaveBeenCalled()
  })

  it('a key that expires later still works', async () => {
    const w = world()
    const later = makeApiKey(w.client.id, { expiresAt: new Date(w.deps.clock.nowMs + 1000) })
    w.state.upsertCredential(later.credential)
    expect(await run(w, w.request({ credentials: w.withKey(later.key) }))).toMatchObject({ reason: 'authenticated' })
    w.deps.clock.nowMs += 1000
    expect(await run(w, w.request({ credentials: w.withKey(later.key) }))).toMatchObject({
      reason: 'invalid_credentials',
    })
  })

  it('an unknown scheme is 401 invalid_credentials', async () => {
    const w = world()
    expect(await run(w, w.request({ credentials: extractCredentials('Basic dXNlcjpwdw==', '') }))).toMatchObject({
      status: 401,
      reason: 'invalid_credentials',
      logDetail: 'unsupported_scheme',
    })
  })

  it('two credentials (duplicate Authorization, header and query) are 400 ambiguous_credential', async () => {
    const w = world()
    for (const [header, query, detail] of [
      [`Bearer ${w.key}, Bearer ${w.key}`, '', 'multiple_authorization_values'],
      [`Bearer ${w.key}`, 'api_key=other', 'header_and_query_credentials'],
      [`Bearer ${w.key}`, `api_key=${w.key}`, 'header_and_query_credentials'],
    ] as const) {
      expect(await run(w, w.request({ credentials: extractCredentials(header, query) }))).toEqual({
        allowed: false,
        status: 400,
        reason: 'ambiguous_credential',
        logDetail: detail,
      })
    }
  })
})

describe('decide: auth_type', () => {
  it('an hmac method refuses an API key with 401 signature_required', async () => {
    const w = world()
    expect(await run(w, w.request({ method: 'DELETE', credentials: w.withKey(w.key) }))).toMatchObject({
      status: 401,
      reason: 'signature_required',
      authType: 'hmac',
    })
  })

  it('an hmac method accepts a valid signature', async () => {
    const w = world()
    const d = await run(w, w.request({ method: 'DELETE', credentials: w.signed({}) }))
    expect(d).toMatchObject({ allowed: true, reason: 'authenticated', clientId: w.client.id })
  })

  it('an api_key method accepts a valid signature as well', async () => {
    const w = world()
    const d = await run(w, w.request({ method: 'POST', credentials: w.signed({ method: 'POST' }) }))
    expect(d).toMatchObject({ allowed: true, reason: 'authenticated' })
  })

  it('a method that requires v2 refuses v1 signatures', async () => {
    const w = world()
    expect(await run(w, w.request({ method: 'PATCH', credentials: w.signed({ method: 'PATCH' }) }))).toMatchObject({
      status: 401,
      reason: 'signature_required',
      logDetail: 'signature_v2_required',
    })
  })
})

describe('decide: HMAC', () => {
  it('a bad signature is invalid_credentials and never touches the nonce store', async () => {
    const w = world()
    const d = await run(w, w.request({ method: 'DELETE', credentials: w.signed({ secret: 'wrong-secret' }) }))
    expect(d).toMatchObject({ status: 401, reason: 'invalid_credentials' })
    expect(w.deps.admission.calls).toBe(0)
  })

  it('verifies over the raw path as sent and authorises its canonical form', async () => {
    const w = world()
    const raw = '/api/things/a%40b'
    const normalised = normalizePath(raw)
    if (!normalised.ok) throw new Error('setup')
    expect(normalised.path).toBe('/api/things/a@b')
    const credentials = w.signed({ path: raw })
    const ok = await run(w, w.request({ method: 'DELETE', path: normalised.path, rawPath: raw, credentials }))
    expect(ok).toMatchObject({ reason: 'authenticated' })
    // The same signature presented with a different raw path (same canonical one) does not verify.
    const other = w.request({ method: 'DELETE', path: normalised.path, rawPath: '/api/things/a@b', credentials })
    expect(await run(w, other)).toMatchObject({ reason: 'invalid_credentials' })
  })

  it('a stale timestamp is 401 stale_timestamp', async () => {
    const w = world()
    const timestamp = Math.floor(w.deps.clock.nowMs / 1000) - 301
    expect(await run(w, w.request({ method: 'DELETE', credentials: w.signed({ timestamp }) }))).toMatchObject({
      status: 401,
      reason: 'stale_timestamp',
    })
    expect(w.deps.admission.calls).toBe(0)
  })

  it('a replayed request is 401 replayed_nonce', async () => {
    const w = world()
    const credentials = w.signed({ nonce: 'fixed-nonce-1' })
    expect(await run(w, w.request({ method: 'DELETE', credentials }))).toMatchObject({ reason: 'authenticated' })
    expect(await run(w, w.request({ method: 'DELETE', credentials }))).toMatchObject({
      status: 401,
      reason: 'replayed_nonce',
    })
  })

  it('a joined duplicate (HMAC + Bearer) is refused', async () => {
    const w = world()
    const header = `${w.signed({}).header}, Bearer ${w.key}`
    const d = await run(w, w.request({ method: 'DELETE', credentials: extractCredentials(header, '') }))
    expect(d).toMatchObject({ status: 400, reason: 'ambiguous_credential' })
  })

  it('a secret rotated out keeps working until it expires', async () => {
    const w = world()
    const old = makeSecret(w.client.id, { expiresAt: new Date(w.deps.clock.nowMs + 60_000) })
    w.state.upsertCredential(old)
    const credentials = w.signed({ secret: old.secret ?? '' })
    expect(await run(w, w.request({ method: 'DELETE', credentials }))).toMatchObject({ reason: 'authenticated' })
    w.deps.clock.nowMs += 60_000
    const again = w.signed({ secret: old.secret ?? '' })
    expect(await run(w, w.request({ method: 'DELETE', credentials: again }))).toMatchObject({
      reason: 'invalid_credentials',
    })
  })
})

describe('decide: client status, permissions, rate limits', () => {
  it.each([
    ['suspended', 'client_suspended'],
    ['revoked', 'client_revoked'],
  ] as const)('a %s client is 403 %s', async (status, reason) => {
    const w = world()
    w.state.upsertClient({ ...w.client, status })
    expect(await run(w, w.request({ credentials: w.withKey(w.key) }))).toMatchObject({
      allowed: false,
      status: 403,
      reason,
      clientId: w.client.id,
    })
  })

  it('no grant for the route: 403 no_permission', async () => {
    const w = world()
    const req = w.request({ path: '/api/secret/1', credentials: w.withKey(w.key) })
    expect(await run(w, req)).toMatchObject({ status: 403, reason: 'no_permission', routeId: w.ungranted.id })
  })

  it('a grant without this method: 403 method_not_allowed', async () => {
    const w = world()
    const req = w.request({ method: 'PUT', credentials: w.withKey(w.key) })
    expect(await run(w, req)).toMatchObject({ status: 403, reason: 'method_not_allowed' })
  })

  it('over the limit: 429 with whatever the admission store reports', async () => {
    const headers = { RateLimit: '"minute";r=0;t=30', 'Retry-After': '30' }
    const w = world()
    w.deps.admission.limitVerdict = { outcome: 'rate_limited', retryAfterSeconds: 30, headers }
    w.state.upsertRateLimit({ clientId: w.client.id, requestsPerDay: null, requestsPerMinute: 10 })
    expect(await run(w, w.request({ credentials: w.withKey(w.key) }))).toMatchObject({
      allowed: false,
      status: 429,
      reason: 'rate_limit_exceeded',
      retryAfter: 30,
      headers,
      clientId: w.client.id,
    })
    expect(w.deps.admission.requests).toEqual([{ clientId: w.client.id, limits: { perDay: null, perMinute: 10 } }])
  })

  it('under the limit: allowed with the quota headers; clients without limits skip the store', async () => {
    const headers = { RateLimit: '"day";r=999;t=60' }
    const w = world()
    w.deps.admission.limitVerdict = { outcome: 'allowed', headers }
    w.state.upsertRateLimit({ clientId: w.client.id, requestsPerDay: 1000, requestsPerMinute: null })
    expect(await run(w, w.request({ credentials: w.withKey(w.key) }))).toMatchObject({ allowed: true, headers })
    w.state.removeRateLimit(w.client.id)
    const d = decide(w.state, w.request({ credentials: w.withKey(w.key) }), w.deps)
    expect(d).not.toBeInstanceOf(Promise)
    expect(w.deps.admission.calls).toBe(1)
  })

  it('a limit change applies to the next decision', async () => {
    const w = world()
    w.state.upsertRateLimit({ clientId: w.client.id, requestsPerDay: 1000, requestsPerMinute: null })
    await run(w, w.request({ credentials: w.withKey(w.key) }))
    w.state.upsertRateLimit({ clientId: w.client.id, requestsPerDay: null, requestsPerMinute: 5 })
    await run(w, w.request({ credentials: w.withKey(w.key) }))
    expect(w.deps.admission.requests.map((r) => r.limits)).toEqual([
      { perDay: 1000, perMinute: null },
      { perDay: null, perMinute: 5 },
    ])
  })

  it('status and permission are checked before the store is consulted (for keys and signatures)', async () => {
    const w = world()
    w.state.upsertRateLimit({ clientId: w.client.id, requestsPerDay: 1, requestsPerMinute: null })
    await run(w, w.request({ path: '/api/secret/1', credentials: w.withKey(w.key) }))
    w.state.upsertClient({ ...w.client, status: 'suspended' } satisfies ClientInput)
    await run(w, w.request({ credentials: w.withKey(w.key) }))
    expect(await run(w, w.request({ method: 'DELETE', credentials: w.signed({}) }))).toMatchObject({
      reason: 'client_suspended',
    })
    expect(w.deps.admission.calls).toBe(0)
  })

  it('an HMAC request on a rate-limited client costs ONE admission call carrying nonce and limits', async () => {
    const w = world()
    w.state.upsertRateLimit({ clientId: w.client.id, requestsPerDay: 100, requestsPerMinute: 10 })
    const d = await run(w, w.request({ method: 'DELETE', credentials: w.signed({ nonce: 'one-call-nonce' }) }))
    expect(d).toMatchObject({ allowed: true, reason: 'authenticated' })
    expect(w.deps.admission.requests).toEqual([
      {
        clientId: w.client.id,
        nonce: { value: 'one-call-nonce', ttlSeconds: 600 },
        limits: { perDay: 100, perMinute: 10 },
      } satisfies AdmissionRequest,
    ])
  })

  it('the nonce lives twice the configured timestamp tolerance', async () => {
    const w = world()
    w.deps.hmacToleranceSeconds = 60
    const timestamp = Math.floor(w.deps.clock.nowMs / 1000) - 61
    expect(await run(w, w.request({ method: 'DELETE', credentials: w.signed({ timestamp }) }))).toMatchObject({
      reason: 'stale_timestamp',
    })
    await run(w, w.request({ method: 'DELETE', credentials: w.signed({}) }))
    expect(w.deps.admission.requests[0]?.nonce?.ttlSeconds).toBe(120)
  })

  it.each([
    [{ outcome: 'unavailable', which: 'nonce' } as const, 'nonce_store_unavailable'],
    [{ outcome: 'unavailable', which: 'rate_limit' } as const, 'rate_limit_store_unavailable'],
  ])('an unavailable store (%o) is 503 store_unavailable', async (verdict, logDetail) => {
    const w = world()
    w.deps.admission.override = verdict
    expect(await run(w, w.request({ method: 'DELETE', credentials: w.signed({}) }))).toMatchObject({
      allowed: false,
      status: 503,
      reason: 'store_unavailable',
      logDetail,
    })
  })

  it('a store that rejects counts as unavailable, never as allowed', async () => {
    const w = world()
    w.deps.admission.admit = () => Promise.reject(new Error('boom'))
    expect(await run(w, w.request({ method: 'DELETE', credentials: w.signed({}) }))).toMatchObject({
      status: 503,
      reason: 'store_unavailable',
    })
  })

  it('a failed-open rate limit is allowed and says so for the audit log', async () => {
    const w = world()
    w.state.upsertRateLimit({ clientId: w.client.id, requestsPerDay: 1, requestsPerMinute: null })
    w.deps.admission.limitVerdict = { outcome: 'allowed', failedOpen: 'rate_limit' }
    expect(await run(w, w.request({ credentials: w.withKey(w.key) }))).toMatchObject({
      allowed: true,
      logDetail: 'rate_limit_failed_open',
    })
  })
})

describe('decide: raw paths', () => {
  const SEGMENTS = ['admin', 'open', 'public', 'x', 'Admin', 'ADMIN', '%C3%A9', 'a%40b', '']
  const SEGMENTS_HOSTILE = ['.', '..', '%2e', '%2e%2e', '.%2e', '%61dmin', '..;', '%2f', '%5c', '%252e', '%00', '...']
  const raw = fc
    .array(fc.constantFrom(...SEGMENTS, ...SEGMENTS_HOSTILE), { minLength: 1, maxLength: 7 })
    .map((segs) => `/${segs.join('/')}`)

  it('decides an accepted path as written: never allows, unauthenticated, a path a router could read as protected', () => {
    const deps = makeDeps()
    const state = new EngineState()
    state.upsertRoute(makeRoute({ domain: HOST, routePattern: '/*', methods: { GET: PUBLIC } }))
    state.upsertRoute(makeRoute({ domain: HOST, routePattern: '/admin/*', methods: { GET: API_KEY } }))
    state.upsertRoute(makeRoute({ domain: HOST, routePattern: '/admin/open', methods: { GET: PUBLIC } }))
    // What a case-insensitive router that ignores a trailing slash could serve from the protected route.
    const protectedPath = (p: string) => {
      const folded = p.toLowerCase().replace(/\/$/, '')
      return (folded === '/admin' || folded.startsWith('/admin/')) && folded !== '/admin/open'
    }
    let allowed = 0
    let refused = 0
    fc.assert(
      fc.property(raw, (rawUri) => {
        const n = normalizePath(rawUri)
        if (!n.ok) {
          refused++
          return
        }
        const d = decide(
          state,
          { method: 'GET', host: HOST, path: n.path, rawPath: rawUri, credentials: { kind: 'none' } },
          deps,
        )
        expect(d).not.toBeInstanceOf(Promise)
        const decision = d as Decision
        if (decision.allowed) {
          allowed++
          expect(protectedPath(decodeURIComponent(n.path))).toBe(false)
        }
      }),
      { numRuns: 5000 },
    )
    expect(allowed).toBeGreaterThan(100)
    expect(refused).toBeGreaterThan(100)
  })
})

describe('decide: another reading of the path selects another route', () => {
  function table(...patterns: Array<[string, 'public' | 'key']>) {
    const deps = makeDeps()
    const state = new EngineState()
    for (const [routePattern, kind] of patterns) {
      state.upsertRoute(
        makeRoute({ domain: HOST, routePattern, methods: { GET: kind === 'public' ? PUBLIC : API_KEY } }),
      )
    }
    return (path: string, rawPath = path) =>
      decide(state, { method: 'GET', host: HOST, path, rawPath, credentials: { kind: 'none' } }, deps) as Decision
  }

  it('refuses /SECRET/x when its lower-case form is the protected /secret/*, next to a public /*', () => {
    const ask = table(['/*', 'public'], ['/secret/*', 'key'])
    expect(ask('/SECRET/x')).toEqual({
      allowed: false,
      status: 400,
      reason: 'ambiguous_path',
      logDetail: 'case_variant_route',
    })
    expect(ask('/Secret')).toMatchObject({ reason: 'ambiguous_path', logDetail: 'case_variant_route' })
    expect(ask('/secret/x')).toMatchObject({ status: 401, reason: 'missing_credentials' })
    // Upper case that lands on the same route either way is decided as usual.
    expect(ask('/api/v1/orders/ABC-123')).toMatchObject({ allowed: true, reason: 'no_auth_required' })
    expect(ask('/secret/ABC')).toMatchObject({ status: 401, reason: 'missing_credentials' })
    expect(ask('/caf%C3%A9')).toMatchObject({ allowed: true })
  })

  it('refuses a case variant even when the exact form matches no route', () => {
    const ask = table(['/secret/*', 'key'])
    expect(ask('/SECRET/x')).toMatchObject({ status: 400, reason: 'ambiguous_path' })
    expect(ask('/other/X')).toMatchObject({ status: 403, reason: 'no_route_match' })
  })

  it('refuses a path whose other trailing-slash form is another route', () => {
    const ask = table(['/*', 'public'], ['/secret/x', 'key'], ['/open/', 'public'])
    expect(ask('/secret/x/')).toMatchObject({ status: 400, logDetail: 'trailing_slash_variant_route' })
    expect(ask('/secret/x')).toMatchObject({ status: 401, reason: 'missing_credentials' })
    // Adding a slash is tried because an exact pattern ends in one: /open selects /* but /open/ is its own route.
    expect(ask('/open')).toMatchObject({ status: 400, logDetail: 'trailing_slash_variant_route' })
    expect(ask('/open/')).toMatchObject({ allowed: true })
    expect(ask('/a/b/')).toMatchObject({ allowed: true })
    expect(ask('/SECRET/X/')).toMatchObject({ status: 400, logDetail: 'case_variant_route' })
  })

  it('refuses a path whose raw (undecoded) form selects another route than its decoded form', () => {
    const ask = table(['/*', 'public'], ['/users/me@x', 'key'], ['/users/*', 'public'])
    // Werkzeug decodes %40 and serves /users/me@x; Express matches the raw bytes and serves /users/*.
    expect(ask('/users/me@x', '/users/me%40x')).toMatchObject({ status: 400, logDetail: 'encoded_variant_route' })
    expect(ask('/users/me@x')).toMatchObject({ status: 401, reason: 'missing_credentials' })
    expect(ask('/users/a@b.com', '/users/a%40b.com')).toMatchObject({ allowed: true })
  })
})

describe('decide: known hosts', () => {
  function hosts(options: { require?: boolean; known?: string[] }) {
    const deps = makeDeps()
    if (options.require !== undefined) deps.requireKnownHost = options.require
    if (options.known !== undefined) deps.knownHosts = new Set(options.known)
    const state = new EngineState()
    state.upsertRoute(makeRoute({ domain: '*', routePattern: '/docs/*', methods: { GET: PUBLIC } }))
    state.upsertRoute(makeRoute({ domain: HOST, routePattern: '/docs/internal/*', methods: { GET: API_KEY } }))
    state.upsertRoute(makeRoute({ domain: '*.tenant.test', routePattern: '/t/*', methods: { GET: PUBLIC } }))
    return (host: string, path = '/docs/internal/payroll') =>
      decide(state, { method: 'GET', host, path, rawPath: path, credentials: { kind: 'none' } }, deps) as Decision
  }

  it('off (the default): an unknown host falls back to `*` routes', () => {
    const ask = hosts({})
    expect(ask('anything.invalid')).toMatchObject({ allowed: true, reason: 'no_auth_required' })
  })

  it('on: a host no route names is 403 unknown_host before any route is matched', () => {
    const ask = hosts({ require: true })
    for (const host of ['anything.invalid', '127.0.0.1', 'api.example.com.evil', 'tenant.test.evil']) {
      expect(ask(host)).toEqual({ allowed: false, status: 403, reason: 'unknown_host' })
    }
    expect(ask(HOST)).toMatchObject({ status: 401, reason: 'missing_credentials' })
    // `*` routes still serve known hosts; a `*.suffix` domain names its subdomains and the bare suffix.
    expect(ask(HOST, '/docs/readme')).toMatchObject({ allowed: true })
    expect(ask('a.tenant.test', '/docs/readme')).toMatchObject({ allowed: true })
    expect(ask('tenant.test', '/t/x')).toMatchObject({ allowed: true })
  })

  it('on: AUTHZ_KNOWN_HOSTS adds names that only `*` routes serve', () => {
    const ask = hosts({ require: true, known: ['docs.example.org'] })
    expect(ask('docs.example.org', '/docs/readme')).toMatchObject({ allowed: true })
    expect(ask('other.example.org', '/docs/readme')).toMatchObject({ reason: 'unknown_host' })
  })

  it('follows route changes: removing the last route of a domain makes it unknown', () => {
    const deps = makeDeps()
    deps.requireKnownHost = true
    const state = new EngineState()
    const only = makeRoute({ domain: 'solo.test', routePattern: '/*', methods: { GET: PUBLIC } })
    state.upsertRoute(only)
    const ask = () =>
      decide(state, { method: 'GET', host: 'solo.test', path: '/', rawPath: '/', credentials: { kind: 'none' } }, deps)
    expect(ask()).toMatchObject({ allowed: true })
    state.removeRoute(only.id)
    expect(ask()).toMatchObject({ reason: 'unknown_host' })
  })
})
