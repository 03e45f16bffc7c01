import type { AdminTokenCreatedWire, AdminTokenWire, AuditEntryWire, ErrorEnvelope } from '@gatekeeper/models'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ConsoleApp } from '../src/app'
import { callApp, createHarness, type Harness, json, must, SYSTEM_ACTOR } from './harness'

// Admin API tokens (gka_) on a real Postgres: created by a console admin, accepted next to Aegis
// tokens without ever reaching Aegis, scoped, expiring, revocable, and the actor of what they change.

let h: Harness
let admin: { token: string; email: string }
let noAegis: ConsoleApp
let n = 0
const uniqueName = (base: string) => `${base}-${Date.now().toString(36)}-${++n}`

beforeAll(async () => {
  h = await createHarness()
  admin = await h.newAdmin()
  noAegis = h.withEnv({ AEGIS_API_URL: undefined, AEGIS_TENANT_API_KEY: undefined })
})
afterAll(() => h.close())
afterEach(() => {
  h.clock.offsetMs = 0
})

async function createToken(body: Record<string, unknown>): Promise<AdminTokenCreatedWire> {
  const res = await h.call('POST', '/api/admin/tokens', { token: admin.token, json: body })
  expect(res.status).toBe(201)
  return json<AdminTokenCreatedWire>(res)
}

const routeBody = (tag: string) => ({
  route_pattern: `/tok-${tag}/*`,
  service_name: 'tokens-test',
  methods: { GET: { auth_required: false } },
})

async function auditFor(entityId: string): Promise<AuditEntryWire[]> {
  return json<AuditEntryWire[]>(await h.call('GET', `/api/admin/audit?entity_id=${entityId}`, { token: admin.token }))
}

async function expectError(res: Response, status: number, message: RegExp) {
  expect(res.status).toBe(status)
  const body = await json<ErrorEnvelope>(res)
  expect(body.code).toBe(status)
  expect(body.message).toMatch(message)
}

describe('creating and listing', () => {
  it('shows the raw token once; the list and the database hold only a mask and a digest', async () => {
    const name = uniqueName('ci')
    const created = await createToken({ name, scope: 'write', expires_in_seconds: 30 * 86_400 })
    expect(created.token).toMatch(/^gka_[0-9A-Za-z]{49}$/)
    expect(created).toMatchObject({
      name,
      scope: 'write',
      created_by: admin.email,
      revoked_at: null,
      last_used_at: null,
    })
    expect(must(created.expires_at) - created.created_at).toBe(30 * 86_400)
    expect(created.token_masked).toBe(`${created.token.slice(0, 8)}\u2026${created.token.slice(-4)}`)

    const listRes = await h.call('GET', '/api/admin/tokens', { token: admin.token })
    expect(listRes.headers.get('cache-control')).toBe('no-store')
    const listed = must((await json<AdminTokenWire[]>(listRes)).find((t) => t.token_id === created.token_id))
    expect(listed).not.toHaveProperty('token')
    expect(JSON.stringify(listed)).not.toContain(created.token.slice(8, -4))

    const rows = await h.db.pool.query('SELECT to_jsonb(t)::text AS row FROM admin_tokens t WHERE id = $1', [
      created.token_id,
    ])
    expect(rows.rows[0].row).not.toContain(created.token)
    expect(rows.rows[0].row).not.toContain(created.token.slice(8, -4))

    const [entry] = await auditFor(created.token_id)
    expect(entry).toMatchObject({ action: 'admin_token.create', actor: admin.email, actor_type: 'console_admin' })
    expect(JSON.stringify(entry)).not.toContain(created.token)
  })

  it('refuses a duplicate live name (409), a bad scope, name or lifetime (400)', async () => {
    const name = uniqueName('dup')
    await createToken({ name, scope: 'read' })
    const dup = await h.call('POST', '/api/admin/tokens', { token: admin.token, json: { name, scope: 'write' } })
    await expectError(dup, 409, /already exists/)
    for (const [body, field] of [
      [{ name: uniqueName('x'), scope: 'admin' }, 'scope'],
      [{ name: 'ops@example.com', scope: 'read' }, 'name'],
      [{ name: ' ', scope: 'read' }, 'name'],
      [{ name: uniqueName('x'), scope: 'read', expires_in_seconds: 5 }, 'expires_in_seconds'],
    ] as const) {
      const res = await h.call('POST', '/api/admin/tokens', { token: admin.token, json: body })
      expect(res.status).toBe(400)
      expect(must((await json<ErrorEnvelope>(res)).details)[0]?.path).toBe(field)
    }
  })
})

describe('using a token', () => {
  it('a write token drives the admin API, never asks Aegis, and is the audit actor', async () => {
    const created = await createToken({ name: uniqueName('deploy'), scope: 'write' })
    const aegisCalls = h.aegis.callsTo('/api/auth/me').length
    const res = await h.call('POST', '/api/admin/routes', { token: created.token, json: routeBody(created.name) })
    expect(res.status).toBe(201)
    const route = await json<{ route_id: string }>(res)
    expect((await h.call('GET', `/api/admin/routes/${route.route_id}`, { token: created.token })).status).toBe(200)
    expect(h.aegis.callsTo('/api/auth/me').length).toBe(aegisCalls)

    const [entry] = await auditFor(route.route_id)
    expect(entry).toMatchObject({ action: 'route.create', actor: created.name, actor_type: 'admin_token' })
    const listed = await json<AdminTokenWire[]>(await h.call('GET', '/api/admin/tokens', { token: admin.token }))
    expect(listed.find((t) => t.token_id === created.token_id)?.last_used_at).toEqual(expect.any(Number))
    const line = h.logs.find((l) => l.admin_token_id === created.token_id)
    expect(line).toMatchObject({ admin_token: created.name })
    expect(h.rawLogs.join('\n')).not.toContain(created.token)
  })

  it('a read token reads (200) and is refused every change (403)', async () => {
    const created = await createToken({ name: uniqueName('dash'), scope: 'read' })
    expect((await h.call('GET', '/api/admin/routes', { token: created.token })).status).toBe(200)
    expect((await h.call('GET', '/api/admin/tokens', { token: created.token })).status).toBe(200)
    await expectError(
      await h.call('POST', '/api/admin/routes', { token: created.token, json: routeBody(created.name) }),
      403,
      /read-only/,
    )
    await expectError(
      await h.call('POST', '/api/admin/tokens', {
        token: created.token,
        json: { name: uniqueName('e'), scope: 'write' },
      }),
      403,
      /read-only/,
    )
    await expectError(
      await h.call('DELETE', `/api/admin/tokens/${created.token_id}`, { token: created.token }),
      403,
      /read-only/,
    )
    const routes = await json<Array<{ route_pattern: string }>>(
      await h.call('GET', '/api/admin/routes', { token: admin.token }),
    )
    expect(routes.some((r) => r.route_pattern === `/tok-${created.name}/*`)).toBe(false)
  })

  it('an expired token is refused (401) once its time has come', async () => {
    const created = await createToken({ name: uniqueName('short'), scope: 'read', expires_in_seconds: 60 })
    expect((await h.call('GET', '/api/admin/routes', { token: created.token })).status).toBe(200)
    h.clock.offsetMs = 61_000
    const res = await h.call('GET', '/api/admin/routes', { token: created.token })
    expect(res.headers.get('www-authenticate')).toContain('invalid_token')
    await expectError(res, 401, /expired/)
  })

  it('a revoked token is refused at once (401); revoking twice is 404; the revocation is audited', async () => {
    const created = await createToken({ name: uniqueName('gone'), scope: 'write' })
    expect((await h.call('GET', '/api/admin/routes', { token: created.token })).status).toBe(200)
    expect((await h.call('DELETE', `/api/admin/tokens/${created.token_id}`, { token: admin.token })).status).toBe(204)
    await expectError(await h.call('GET', '/api/admin/routes', { token: created.token }), 401, /revoked/)
    expect((await h.call('DELETE', `/api/admin/tokens/${created.token_id}`, { token: admin.token })).status).toBe(404)
    const [entry] = await auditFor(created.token_id)
    expect(entry).toMatchObject({ action: 'admin_token.revoke', actor: admin.email })
    expect(entry?.after).toMatchObject({ revoked_at: expect.any(Number) })
    // The name is free again once revoked.
    await createToken({ name: created.name, scope: 'read' })
  })

  it('a mistyped or unknown gka_ token is 401 without asking Aegis', async () => {
    const created = await createToken({ name: uniqueName('typo'), scope: 'read' })
    const last = created.token.endsWith('A') ? 'B' : 'A'
    const aegisCalls = h.aegis.callsTo('/api/auth/me').length
    await expectError(
      await h.call('GET', '/api/admin/routes', { token: created.token.slice(0, -1) + last }),
      401,
      /malformed/,
    )
    await expectError(await h.call('GET', '/api/admin/routes', { token: 'gka_short' }), 401, /malformed/)
    await expectError(
      await h.call('GET', '/api/admin/routes', { token: `gka_${'0'.repeat(49)}` }),
      401,
      /malformed|unknown/,
    )
    expect(h.aegis.callsTo('/api/auth/me').length).toBe(aegisCalls)
  })
})

describe('without Aegis (the embedded default)', () => {
  it('tokens work while Aegis tokens get 503 not configured', async () => {
    const created = await createToken({ name: uniqueName('local'), scope: 'write' })
    const res = await callApp(noAegis, 'POST', '/api/admin/routes', {
      token: created.token,
      json: routeBody(created.name),
    })
    expect(res.status).toBe(201)
    expect((await callApp(noAegis, 'GET', '/api/admin/tokens', { token: created.token })).status).toBe(200)
    await expectError(await callApp(noAegis, 'GET', '/api/admin/routes', { token: admin.token }), 503, /AEGIS_API_URL/)
  })

  it('a token created by the CLI (same operations, cli actor) works too', async () => {
    const created = await h.ops.tokens.create(SYSTEM_ACTOR, { name: uniqueName('cli'), scope: 'read' }, new Date())
    expect((await callApp(noAegis, 'GET', '/api/admin/audit', { token: created.token })).status).toBe(200)
  })
})
