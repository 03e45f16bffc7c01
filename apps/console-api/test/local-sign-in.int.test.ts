import type { AuditEntryWire, ErrorEnvelope, LocalSessionWire } from '@gatekeeper/models'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ConsoleApp } from '../src/app'
import { callApp, createHarness, type Harness, json } from './harness'

// Local sign-in: `gatekeeper start` stores a one-time code (as a digest) and prints it in a console
// link; POST /api/auth/local-sign-in spends it once for a short-lived admin session token.

let h: Harness
let noAegis: ConsoleApp
let aegisWithLocal: ConsoleApp

beforeAll(async () => {
  h = await createHarness()
  noAegis = h.withEnv({
    AEGIS_API_URL: undefined,
    AEGIS_TENANT_API_KEY: undefined,
    CONSOLE_LOCAL_SESSION_SECONDS: '600',
  })
  aegisWithLocal = h.withEnv({ CONSOLE_LOCAL_SIGNIN: 'true' })
})
afterAll(() => h.close())
afterEach(() => {
  h.clock.offsetMs = 0
})

async function newCode(ttlSeconds = 900): Promise<string> {
  return (await h.ops.tokens.createSignInCode(ttlSeconds, new Date(Date.now() + h.clock.offsetMs))).code
}

const exchange = (app: ConsoleApp, code: string) => callApp(app, 'POST', '/api/auth/local-sign-in', { json: { code } })

async function expectError(res: Response, status: number, message: RegExp) {
  expect(res.status).toBe(status)
  expect((await json<ErrorEnvelope>(res)).message).toMatch(message)
}

describe('GET /api/config tells the console which sign-in to offer', () => {
  it('local sign-in on without Aegis, off with it, on when an operator says so', async () => {
    expect(await json(await callApp(noAegis, 'GET', '/api/config'))).toMatchObject({
      aegisApiUrl: '',
      localSignIn: true,
    })
    expect(await json(await h.call('GET', '/api/config'))).toMatchObject({
      aegisApiUrl: h.aegis.url,
      localSignIn: false,
    })
    expect(await json(await callApp(aegisWithLocal, 'GET', '/api/config'))).toMatchObject({ localSignIn: true })
    const off = h.withEnv({ AEGIS_API_URL: undefined, CONSOLE_LOCAL_SIGNIN: 'false' })
    expect(await json(await callApp(off, 'GET', '/api/config'))).toMatchObject({ localSignIn: false })
  })
})

describe('POST /api/auth/local-sign-in', () => {
  it('exchanges a code once for a session that drives the admin API as the local admin', async () => {
    const code = await newCode()
    const res = await exchange(noAegis, code)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const session = await json<LocalSessionWire>(res)
    expect(session.token).toMatch(/^gka_/)
    expect(session.name).toBe('local-admin')
    expect(session.expires_at - Math.floor(Date.now() / 1000)).toBeGreaterThan(590)
    expect(session.expires_at - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(600)

    const created = await callApp(noAegis, 'POST', '/api/admin/routes', {
      token: session.token,
      json: {
        route_pattern: `/local-${Date.now()}/*`,
        service_name: 'local',
        methods: { GET: { auth_required: false } },
      },
    })
    expect(created.status).toBe(201)
    const route = await json<{ route_id: string }>(created)
    const audit = await json<AuditEntryWire[]>(
      await callApp(noAegis, 'GET', `/api/admin/audit?entity_id=${route.route_id}`, { token: session.token }),
    )
    expect(audit[0]).toMatchObject({ actor: 'local-admin', actor_type: 'local_admin', action: 'route.create' })
    const signIns = await json<AuditEntryWire[]>(
      await callApp(noAegis, 'GET', '/api/admin/audit?action=admin_token.local_sign_in&limit=1', {
        token: session.token,
      }),
    )
    expect(signIns[0]).toMatchObject({ actor: 'local-admin', actor_type: 'local_admin', entity_type: 'admin_token' })
    // Sessions are not named API tokens: they do not clutter the token list.
    const tokens = await json<Array<{ name: string }>>(
      await callApp(noAegis, 'GET', '/api/admin/tokens', { token: session.token }),
    )
    expect(tokens.some((t) => t.name === 'local-admin')).toBe(false)

    // Single use: the same link a second time is refused.
    await expectError(await exchange(noAegis, code), 401, /invalid, already used or expired/)
    expect(h.rawLogs.join('\n')).not.toContain(code)
    expect(h.rawLogs.join('\n')).not.toContain(session.token)
  })

  it('two exchanges of one code at once: exactly one session', async () => {
    const code = await newCode()
    const results = await Promise.all(Array.from({ length: 5 }, () => exchange(noAegis, code)))
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401])
  })

  it('refuses an expired code, and the session itself expires', async () => {
    const code = await newCode(60)
    h.clock.offsetMs = 61_000
    await expectError(await exchange(noAegis, code), 401, /expired/)

    h.clock.offsetMs = 0
    const session = await json<LocalSessionWire>(await exchange(noAegis, await newCode()))
    expect((await callApp(noAegis, 'GET', '/api/admin/routes', { token: session.token })).status).toBe(200)
    h.clock.offsetMs = 601_000
    await expectError(await callApp(noAegis, 'GET', '/api/admin/routes', { token: session.token }), 401, /expired/)
  })

  it('refuses unknown, malformed and missing codes with 401/400, never 500', async () => {
    await expectError(await exchange(noAegis, `gkl_${'0'.repeat(49)}`), 401, /invalid/)
    await expectError(await exchange(noAegis, 'not-a-code'), 401, /invalid/)
    expect((await callApp(noAegis, 'POST', '/api/auth/local-sign-in', { json: {} })).status).toBe(400)
    expect(
      (
        await callApp(noAegis, 'POST', '/api/auth/local-sign-in', {
          body: '{"code',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(400)
    expect(
      (await callApp(noAegis, 'POST', '/api/auth/local-sign-in', { json: { code: 'x'.repeat(10_000) } })).status,
    ).toBe(413)
  })

  it('is refused (403) when Aegis is configured, leaving the code unspent; allowed with CONSOLE_LOCAL_SIGNIN=true', async () => {
    const code = await newCode()
    await expectError(await exchange(h.app, code), 403, /CONSOLE_LOCAL_SIGNIN/)
    const res = await exchange(aegisWithLocal, code)
    expect(res.status).toBe(200)
    const session = await json<LocalSessionWire>(res)
    expect((await callApp(aegisWithLocal, 'GET', '/api/admin/routes', { token: session.token })).status).toBe(200)
    // A session is worthless where local sign-in is off (Aegis configured, no opt-in).
    await expectError(await h.call('GET', '/api/admin/routes', { token: session.token }), 401, /local sign-in is off/)
  })
})
