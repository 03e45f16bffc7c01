import type { ErrorEnvelope } from '@gatekeeper/models'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
