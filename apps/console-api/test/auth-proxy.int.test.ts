import { randomUUID } from 'node:crypto'
import { createRedisAdmissionStore } from '@gatekeeper/limits'
import type { ErrorEnvelope } from '@gatekeeper/models'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConsoleApp } from '../src/app'
import { PROXY_FIELDS } from '../src/routes/auth-proxy'
import { callApp, createHarness, type Harness, json, must, TEST_AEGIS_TIMEOUT_MS } from './harness'

let h: Harness
beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

const lastCall = (call: string) => must(h.aegis.callsTo(`/api/auth/${call}`).at(-1), `a call to ${call}`)

function post(call: string, body: unknown, headers: Record<string, string> = {}) {
  return h.call('POST', `/api/auth/${call}`, { json: body, headers })
}

describe('auth proxy', () => {
  it('attaches the tenant key and site id server-side and passes the answer through', async () => {
    const { user } = h.aegis.addUser()
    const res = await post('login', { email: user.email, password: user.password })
    expect(res.status).toBe(200)
    const body = await json<{ token: string; user_uuid: string }>(res)
    expect(body.user_uuid).toBe(user.uuid)
    const seen = lastCall('login')
    expect(seen.headers['x-tenant-api-key']).toBe(h.aegis.tenantApiKey)
    expect(seen.body).toEqual({ email: user.email, password: user.password, site_id: h.aegis.siteId })
    // The token Aegis issued works on the admin API once the user is an admin.
    await h.ops.admins.add({ actor: 't', actorType: 'system' }, { email: user.email, aegis_user_id: user.uuid })
    expect((await h.call('GET', '/api/admin/routes', { token: body.token })).status).toBe(200)
  })

  it('never forwards a client-supplied tenant key or other client headers', async () => {
    const { user } = h.aegis.addUser()
    await post(
      'login',
      { email: user.email, password: user.password },
      { 'X-Tenant-Api-Key': 'stolen-key', authorization: 'Bearer abc', cookie: 'session=1' },
    )
    const seen = lastCall('login')
    expect(seen.headers['x-tenant-api-key']).toBe(h.aegis.tenantApiKey)
    expect(JSON.stringify(seen.headers)).not.toContain('stolen-key')
    expect(seen.headers.authorization).toBeUndefined()
    expect(seen.headers.cookie).toBeUndefined()
  })

  it('passes Aegis errors back unchanged', async () => {
    const { user } = h.aegis.addUser({ is_verified: false })
    const unverified = await post('login', { email: user.email, password: user.password })
    expect(unverified.status).toBe(403)
    expect(await unverified.json()).toEqual({ error: 'email not verified' })
    const wrong = await post('login', { email: user.email, password: 'nope' })
    expect(wrong.status).toBe(401)
    expect(await wrong.json()).toEqual({ error: 'invalid credentials' })
  })

  it('proxies register, verify-email, check-verification-token and the password reset', async () => {
    const email = `reg-${Date.now()}@example.com`
    const registered = await post('register', { email, password: 'long enough password' })
    expect(registered.status).toBe(201)
    const { user_uuid } = await json<{ user_uuid: string }>(registered)
    expect((await post('register', { email, password: 'long enough password' })).status).toBe(400)

    const verification = must(h.aegis.emailedToken('verification', user_uuid))
    expect((await post('check-verification-token', { token: verification })).status).toBe(200)
    expect((await post('check-verification-token', { token: 'bogus' })).status).toBe(400)
    expect((await post('verify-email', { token: verification })).status).toBe(200)
    expect(lastCall('verify-email').body).toEqual({ token: verification, site_id: h.aegis.siteId })

    expect((await post('request-password-reset', { email })).status).toBe(200)
    const reset = must(h.aegis.emailedToken('reset', user_uuid))
    expect((await post('reset-password', { token: reset, new_password: 'another long password' })).status).toBe(200)
    expect((await post('login', { email, password: 'another long password' })).status).toBe(200)
    for (const call of [
      'register',
      'verify-email',
      'check-verification-token',
      'request-password-reset',
      'reset-password',
    ]) {
      expect(lastCall(call).headers['x-tenant-api-key']).toBe(h.aegis.tenantApiKey)
    }
  })

  it('never logs passwords or tokens', async () => {
    const { user } = h.aegis.addUser({ password: 'p4ssw0rd-that-must-not-leak' })
    const res = await post('login', { email: user.email, password: user.password })
    const { token } = await json<{ token: string }>(res)
    await post('reset-password', { token: 'reset-token-that-must-not-leak', new_password: 'new-pass-must-not-leak' })
    const logs = h.rawLogs.join('')
    for (const secret of [
      user.password,
      token,
      'reset-token-that-must-not-leak',
      'new-pass-must-not-leak',
      h.aegis.tenantApiKey,
    ]) {
      expect(logs).not.toContain(secret)
    }
  })

  it('answers 400 to a body that is not a JSON object, 413 to an oversized one', async () => {
    for (const body of ['email=a&password=b', '[1,2]', '"text"', '']) {
      const res = await h.call('POST', '/api/auth/login', { body, headers: { 'content-type': 'application/json' } })
      expect(res.status).toBe(400)
      expect((await json<ErrorEnvelope>(res)).error).toBe('bad_request')
    }
    const huge = await post('register', { email: 'x@example.com', password: 'x'.repeat(70 * 1024) })
    expect(huge.status).toBe(413)
    expect((await json<ErrorEnvelope>(huge)).error).toBe('payload_too_large')
  })

  it('answers 503 when Aegis hangs (within the timeout), refuses, or is not configured', async () => {
    h.aegis.setMode('hang')
    try {
      const started = performance.now()
      const res = await post('login', { email: 'a@example.com', password: 'x' })
      expect(res.status).toBe(503)
      expect(performance.now() - started).toBeLessThan(TEST_AEGIS_TIMEOUT_MS + 1500)
      expect((await json<ErrorEnvelope>(res)).error).toBe('upstream_unavailable')
    } finally {
      h.aegis.setMode('up')
    }
    const refused = h.withEnv({ AEGIS_API_URL: 'http://127.0.0.1:9' })
    expect((await callApp(refused, 'POST', '/api/auth/login', { json: {} })).status).toBe(503)
    const noKey = h.withEnv({ AEGIS_TENANT_API_KEY: undefined })
    const res = await callApp(noKey, 'POST', '/api/auth/login', { json: {} })
    expect(res.status).toBe(503)
    expect((await json<ErrorEnvelope>(res)).error).toBe('not_configured')
  })

  it('passes an Aegis 5xx JSON answer through; other methods and unknown calls are 404', async () => {
    h.aegis.setMode('error')
    try {
      const res = await post('login', { email: 'a@example.com', password: 'x' })
      expect(res.status).toBe(500)
      expect(await res.json()).toEqual({ error: 'internal error' })
    } finally {
      h.aegis.setMode('up')
    }
    expect((await h.call('GET', '/api/auth/login')).status).toBe(404)
    expect((await post('me', {})).status).toBe(404)
    expect((await post('delete-account', {})).status).toBe(404)
  })
})

describe('auth proxy hygiene', () => {
  const EXTRA = {
    site_id: 'browser-chosen-site',
    role: 'admin',
    is_verified: true,
    tenant_api_key: 'x',
    __proto__: { polluted: true },
  }
  const DOCUMENTED: Record<string, Record<string, string>> = {
    login: { email: 'doc@example.com', password: 'a password' },
    register: { email: 'doc-reg@example.com', password: 'a long password' },
    'verify-email': { token: 'tok' },
    'check-verification-token': { token: 'tok' },
    'request-password-reset': { email: 'doc@example.com' },
    'reset-password': { token: 'tok', new_password: 'a new password' },
  }

  it.each(Object.keys(PROXY_FIELDS))('%s forwards only its documented fields, with our site_id', async (call) => {
    const fields = must(DOCUMENTED[call])
    const app = h.withEnv({})
    await callApp(app, 'POST', `/api/auth/${call}`, {
      body: JSON.stringify({ ...EXTRA, ...fields, nested: { a: 1 } }),
      headers: { 'content-type': 'application/json' },
    })
    expect(lastCall(call).body).toEqual({ ...fields, site_id: h.aegis.siteId })
  })

  it('refuses a documented field that is not a string (400), without calling Aegis', async () => {
    const before = h.aegis.callsTo('/api/auth/login').length
    for (const email of [{ $ne: null }, ['a@example.com'], 42, true]) {
      const res = await post('login', { email, password: 'x' })
      expect(res.status).toBe(400)
      expect((await json<ErrorEnvelope>(res)).details).toEqual([{ path: 'email', message: 'expected a string' }])
    }
    expect(h.aegis.callsTo('/api/auth/login').length).toBe(before)
  })

  it('answers 503 when AEGIS_SITE_ID is not set, instead of forwarding a browser-chosen site', async () => {
    const app = h.withEnv({ AEGIS_SITE_ID: undefined })
    const before = h.aegis.calls.length
    const res = await callApp(app, 'POST', '/api/auth/login', {
      json: { site_id: h.aegis.siteId, email: 'a@example.com', password: 'x' },
    })
    expect(res.status).toBe(503)
    expect(await json<ErrorEnvelope>(res)).toMatchObject({ error: 'not_configured' })
    expect(h.aegis.calls.length).toBe(before)
  })
})

describe('sign-in throttle', () => {
  const login = (app: ConsoleApp, peer: string, email: string, headers: Record<string, string> = {}) =>
    callApp(app, 'POST', '/api/auth/login', { json: { email, password: 'wrong password' }, peer, headers })
  const fresh = () => `throttle-${randomUUID().slice(0, 8)}@example.com`

  async function expectThrottled(res: Response) {
    expect(res.status).toBe(429)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(61)
    expect(await json<ErrorEnvelope>(res)).toMatchObject({ code: 429, error: 'rate_limited' })
  }

  it('per client IP: the N+1st login, register or reset from one address is refused (429 + Retry-After), not forwarded', async () => {
    const app = h.withEnv({ AUTH_THROTTLE_IP_PER_MINUTE: '4', AUTH_THROTTLE_EMAIL_PER_MINUTE: '0' })
    const calls = ['login', 'register', 'request-password-reset', 'login']
    for (const call of calls) {
      const res = await callApp(app, 'POST', `/api/auth/${call}`, {
        json: { email: fresh(), password: 'long enough password' },
        peer: '203.0.113.7',
      })
      expect(res.status, call).not.toBe(429)
    }
    const forwarded = h.aegis.calls.length
    await expectThrottled(await login(app, '203.0.113.7', fresh()))
    await expectThrottled(
      await callApp(app, 'POST', '/api/auth/register', {
        json: { email: fresh(), password: 'long enough password' },
        peer: '203.0.113.7',
      }),
    )
    expect(h.aegis.calls.length).toBe(forwarded)
    // Another address is not affected; verify-email and the rest are not throttled.
    expect((await login(app, '203.0.113.8', fresh())).status).toBe(401)
    expect(
      (await callApp(app, 'POST', '/api/auth/verify-email', { json: { token: 'x' }, peer: '203.0.113.7' })).status,
    ).toBe(400)
    const metrics = await (await callApp(app, 'GET', '/metrics')).text()
    expect(metrics).toMatch(/console_auth_throttled_total\{call="login",key="ip"\} 1/)
    expect(metrics).toMatch(/console_auth_throttled_total\{call="register",key="ip"\} 1/)
  })

  it('per email: attempts on one email from many addresses are refused; the window slides', async () => {
    const app = h.withEnv({ AUTH_THROTTLE_IP_PER_MINUTE: '0', AUTH_THROTTLE_EMAIL_PER_MINUTE: '3' })
    const email = fresh()
    for (let i = 0; i < 3; i++) expect((await login(app, `198.51.100.${i + 1}`, email)).status).toBe(401)
    await expectThrottled(await login(app, '198.51.100.50', email.toUpperCase()))
    await expectThrottled(
      await callApp(app, 'POST', '/api/auth/request-password-reset', {
        json: { email: ` ${email} ` },
        peer: '198.51.100.51',
      }),
    )
    expect((await login(app, '198.51.100.50', fresh())).status).toBe(401)
    h.clock.offsetMs += 61_000
    try {
      expect((await login(app, '198.51.100.50', email)).status).toBe(401)
    } finally {
      h.clock.offsetMs -= 61_000
    }
  })

  it('believes X-Forwarded-For / X-Real-IP only from CONSOLE_TRUSTED_PROXIES', async () => {
    const direct = h.withEnv({ AUTH_THROTTLE_IP_PER_MINUTE: '2', AUTH_THROTTLE_EMAIL_PER_MINUTE: '0' })
    // A direct client rotating X-Forwarded-For still counts as its own address.
    for (let i = 0; i < 2; i++) await login(direct, '192.0.2.10', fresh(), { 'x-forwarded-for': `10.0.0.${i}` })
    await expectThrottled(await login(direct, '192.0.2.10', fresh(), { 'x-forwarded-for': '10.0.0.99' }))

    const proxied = h.withEnv({
      AUTH_THROTTLE_IP_PER_MINUTE: '2',
      AUTH_THROTTLE_EMAIL_PER_MINUTE: '0',
      CONSOLE_TRUSTED_PROXIES: '192.0.2.0/24',
    })
    // Behind our proxy, the client is the right-most address our proxy did not add (the left-most is forgeable).
    for (let i = 0; i < 2; i++) {
      expect(
        (await login(proxied, '192.0.2.1', fresh(), { 'x-forwarded-for': `6.6.6.${i}, 203.0.113.20` })).status,
      ).toBe(401)
    }
    await expectThrottled(await login(proxied, '192.0.2.1', fresh(), { 'x-forwarded-for': '203.0.113.20' }))
    await expectThrottled(await login(proxied, '192.0.2.1', fresh(), { 'x-real-ip': '203.0.113.20' }))
    expect((await login(proxied, '192.0.2.1', fresh(), { 'x-forwarded-for': '203.0.113.21' })).status).toBe(401)
  })

  it('on Redis, replicas share the counters', async () => {
    const prefix = `gk-test-${randomUUID().slice(0, 8)}:`
    const stores = [0, 1].map(() =>
      createRedisAdmissionStore({
        url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        keyPrefix: prefix,
        timeoutMs: 1000,
        rateLimitFailureMode: 'closed',
        nonceFailureMode: 'closed',
      }),
    )
    try {
      for (const store of stores) expect(await store.ready(5000)).toBe(true)
      const env = { AUTH_THROTTLE_IP_PER_MINUTE: '0', AUTH_THROTTLE_EMAIL_PER_MINUTE: '2' }
      const [a, b] = stores.map((store) => h.withEnv(env, { authThrottleStore: store }))
      const email = fresh()
      expect((await login(must(a), '203.0.113.30', email)).status).toBe(401)
      expect((await login(must(b), '203.0.113.31', email)).status).toBe(401)
      await expectThrottled(await login(must(a), '203.0.113.32', email))
      await expectThrottled(await login(must(b), '203.0.113.33', email))
    } finally {
      await Promise.all(stores.map((store) => store.close()))
    }
  })
})
