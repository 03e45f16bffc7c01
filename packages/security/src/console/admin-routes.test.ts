import { afterAll, describe, expect, it } from 'vitest'
import { offlineConsoleApp } from '../targets'
import {
  ADMIN_PREFIX,
  concretePath,
  documentedOperations,
  type Operation,
  operationKey,
  servedOperations,
} from './admin-operations'

// Every admin route refuses a request without a valid admin token. The routes are enumerated from the OpenAPI
// document console-api serves AND from the Hono app's registered routes, which must agree: an undocumented
// route fails here, and so does a documented one that is not served. Nothing below reaches a database or Aegis:
// a request that got past authentication would hit the closed database port and answer 5xx, which fails too.

const offline = offlineConsoleApp()
const app = offline.app
afterAll(() => offline.close())

const documented = await documentedOperations(app)
const documentedAdmin = documented.filter((op) => op.path.startsWith(`${ADMIN_PREFIX}/`) || op.path === ADMIN_PREFIX)
const served = servedOperations(app)
const everyAdminOperation: Operation[] = [
  ...new Map([...documentedAdmin, ...served].map((op) => [operationKey(op), op])).values(),
]

/** Routes outside /api/admin that answer without an admin token, on purpose. A new one must be added here. */
const PUBLIC_ROUTES = new Set([
  'GET /health',
  'GET /metrics',
  'GET /api/config',
  'POST /api/auth/login',
  'POST /api/auth/register',
  'POST /api/auth/verify-email',
  'POST /api/auth/check-verification-token',
  'POST /api/auth/request-password-reset',
  'POST /api/auth/reset-password',
  // Spends a one-time local sign-in code (its own 401/403 refusals: test/local-sign-in in console-api).
  'POST /api/auth/local-sign-in',
  'POST /api/webhooks/aegis',
  'GET /api/openapi.json',
  'GET /api/docs',
])

describe('the admin surface', () => {
  it('is the same in the OpenAPI document and in the app', () => {
    expect(documentedAdmin.length).toBeGreaterThanOrEqual(20)
    expect(served.map(operationKey).sort()).toEqual(documentedAdmin.map(operationKey).sort())
  })

  it('declares bearer security on every admin operation of the document', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, { security?: unknown[] }>>
    }
    for (const op of documentedAdmin) {
      const security = doc.paths[op.path]?.[op.method.toLowerCase()]?.security
      expect(security, operationKey(op)).toEqual([{ aegisBearer: [] }])
    }
  })

  it('has no other route that answers without a token, except the listed public ones', () => {
    const others = app.routes
      .filter((r) => !r.path.startsWith(`${ADMIN_PREFIX}/`) && r.path !== ADMIN_PREFIX && !r.path.endsWith('*'))
      .map((r) => `${r.method} ${r.path}`)
    expect([...new Set(others)].sort()).toEqual([...PUBLIC_ROUTES].sort())
  })
})

const MALFORMED = [
  'Basic dXNlcjpwYXNz',
  'Bearer',
  'Bearer ',
  'bearer  token',
  'Bearer a b',
  'Bearer a, Bearer b',
  'Token x',
]

describe.each(everyAdminOperation)('$method $path', (op) => {
  const send = (path: string, headers: Record<string, string> = {}) => {
    const body = op.method === 'GET' || op.method === 'DELETE' ? undefined : '{"route_pattern":"/x/*"}'
    return app.request(path, { method: op.method, headers: { 'content-type': 'application/json', ...headers }, body })
  }

  it('401 without a token, and for every malformed Authorization', async () => {
    expect((await send(concretePath(op.path))).status).toBe(401)
    for (const authorization of MALFORMED) {
      expect((await send(concretePath(op.path), { authorization })).status, authorization).toBe(401)
    }
  })

  it('never answers without authentication whatever the spelling of the path', async () => {
    const path = concretePath(op.path)
    const rest = path.slice(ADMIN_PREFIX.length)
    const tricks = [
      `${path}/`,
      `${path}?x=1`,
      `/api//admin${rest}`,
      `/api/./admin${rest}`,
      `/api/x/../admin${rest}`,
      `/api/%61dmin${rest}`,
      `/api/admin%2F${rest.slice(1)}`,
      `/API/admin${rest}`,
      `/api/admin/.${rest}`,
      `/api/admin${rest.replace(/\//g, '//')}`,
    ]
    for (const trick of tricks) {
      const status = (await send(trick)).status
      expect([401, 404], `${op.method} ${trick} -> ${status}`).toContain(status)
    }
  })

  it('503 (not a handler) when a well-formed token cannot be checked', async () => {
    const status = (await send(concretePath(op.path), { authorization: 'Bearer some-token' })).status
    expect(status).toBe(503)
  })
})
