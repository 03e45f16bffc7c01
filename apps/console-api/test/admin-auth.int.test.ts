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
