import type { ErrorEnvelope } from '@gatekeeper/models'
import { freePort } from '@gatekeeper/testkit/ports'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConsoleApp } from '../src/app'
import { type CallOptions, callApp, createHarness, type Harness, json, TEST_AEGIS_TIMEOUT_MS } from './harness'
import {
  adminOperations,
  concretePath,
  documentedAdminOperations,
  type Operation,
  servedAdminOperations,
} from './openapi-ops'

// The shared auth suite: every admin operation, enumerated from the OpenAPI document, refuses a
// request without a valid admin token. A route added without a document entry fails the first test.

let h: Harness
const documented = await documentedAdminOperations()
let admin: { token: string; uuid: string }
let aegisRefused: ConsoleApp
let aegisUnconfigured: ConsoleApp

beforeAll(async () => {
  h = await createHarness()
  admin = await h.newAdmin()
  aegisRefused = h.withEnv({ AEGIS_API_URL: `http://127.0.0.1:${await freePort()}` })
  aegisUnconfigured = h.withEnv({ AEGIS_API_URL: undefined })
})
afterAll(() => h.close())

/**
 * Everything served outside /api/admin, each public on purpose. A route added anywhere else fails the test below
 * until it is either put under /api/admin (and so behind the auth suite) or listed here with its reason.
 */
const PUBLIC_ROUTES: Readonly<Record<string, string>> = {
  'GET /health': 'readiness for load balancers',
  'GET /metrics': 'Prometheus; label values are closed sets, nothing secret',
  'GET /api/config': 'what the console needs before sign-in; no secret',
  'POST /api/auth/local-sign-in': 'spends a one-time code; the code is the credential',
  'POST /api/auth/login': 'sign-in proxy to Aegis (throttled)',
  'POST /api/auth/register': 'sign-in proxy to Aegis (throttled)',
  'POST /api/auth/verify-email': 'sign-in proxy to Aegis',
  'POST /api/auth/check-verification-token': 'sign-in proxy to Aegis',
  'POST /api/auth/request-password-reset': 'sign-in proxy to Aegis (throttled)',
  'POST /api/auth/reset-password': 'sign-in proxy to Aegis',
  'POST /api/webhooks/aegis': 'authenticated by its HMAC signature',
  'GET /api/openapi.json': 'the public API description',
  'GET /api/docs': 'the same, as a page',
}

describe('every route the app serves', () => {
  it('is an admin operation (behind the auth suite) or a deliberately public route', () => {
    const served = new Set<string>()
    for (const route of h.app.routes) {
      if (route.method === 'ALL' || route.path.startsWith('/api/admin/')) continue
      served.add(`${route.method} ${route.path}`)
    }
    expect([...served].sort()).toEqual(Object.keys(PUBLIC_ROUTES).sort())
  })
})

describe('the OpenAPI document', () => {
  it('describes exactly the admin operations the app serves', async () => {
    const key = (op: Operation) => `${op.method} ${op.path}`
    const ops = await adminOperations(h.app)
    expect(ops.length).toBeGreaterThanOrEqual(22)
    expect(documented.map(key).sort()).toEqual(ops.map(key).sort())
    expect(ops.map(key).sort()).toEqual(servedAdminOperations(h.app).map(key).sort())
  })
})

async function expectError(res: Response, status: number, error: string) {
  expect(res.status).toBe(status)
  const body = await json<ErrorEnvelope>(res)
  expect(body).toMatchObject({ code: status, error })
  expect(typeof body.message).toBe('string')
}

describe.each(documented)('$method $path', ({ method, path }) => {
  const call = (opts: CallOptions, app: ConsoleApp = h.app) => callApp(app, method, concretePath(path), opts)

  it('401 without a token (with WWW-Authenticate), before the body is read', async () => {
    const body = method === 'GET' ? undefined : '{"not json'
    const res = await call({ body, headers: { 'content-type': 'application/json' } })
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /)
    await expectError(res, 401, 'unauthorized')
  })

  it('401 for what a cross-site page can send: cookies and a form, no Authorization header (no CSRF)', async () => {
    const res = await call({
      body: method === 'GET' ? undefined : 'email=attacker%40example.com',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: `session=${admin.token}; token=${admin.token}`,
        origin: 'https://evil.example',
      },
    })
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /)
    await expectError(res, 401, 'unauthorized')
  })

  it('401 for malformed Authorization headers, without asking Aegis', async () => {
    const before = h.aegis.callsTo('/api/auth/me').length
    const headers = [
      'Basic dXNlcjpwYXNz',
      'Bearer',
      `Bearer ${admin.token} extra`,
      `Bearer ${admin.token}, Bearer ${admin.token}`,
      admin.token,
    ]
    for (const authorization of headers) {
      await expectError(await call({ headers: { authorization } }), 401, 'unauthorized')
    }
    expect(h.aegis.callsTo('/api/auth/me').length).toBe(before)
  })

  it('401 for a token Aegis does not know', async () => {
    await expectError(await call({ token: 'unknown-token' }), 401, 'unauthorized')
  })

  it('403 for a signed-in user who is not a console admin', async () => {
    await expectError(await call({ token: h.aegis.addUser().token }), 403, 'forbidden')
  })

  it('503 when Aegis refuses connections', async () => {
    await expectError(await call({ token: h.aegis.issueToken(admin.uuid) }, aegisRefused), 503, 'upstream_unavailable')
  })

  it('503 when Aegis answers 5xx', async () => {
    h.aegis.setMode('error')
    try {
      await expectError(await call({ token: h.aegis.issueToken(admin.uuid) }), 503, 'upstream_unavailable')
    } finally {
      h.aegis.setMode('up')
    }
  })

  it('503 within the timeout when Aegis hangs', async () => {
    h.aegis.setMode('hang')
    try {
      const started = performance.now()
      await expectError(await call({ token: h.aegis.issueToken(admin.uuid) }), 503, 'upstream_unavailable')
      expect(performance.now() - started).toBeLessThan(TEST_AEGIS_TIMEOUT_MS + 1500)
    } finally {
      h.aegis.setMode('up')
    }
  })

  it('503 when Aegis is not configured', async () => {
    await expectError(await call({ token: admin.token }, aegisUnconfigured), 503, 'not_configured')
  })

  it('lets a console admin through', async () => {
    const res = await call({ token: admin.token, json: method === 'GET' || method === 'DELETE' ? undefined : {} })
    expect([401, 403, 503]).not.toContain(res.status)
  })
})
