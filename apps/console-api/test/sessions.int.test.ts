import { randomBytes } from 'node:crypto'
import { createSealer } from '@gatekeeper/crypto'
import { type AdminOps, createAdminOps } from '@gatekeeper/db/admin'
import { createDb, type DbHandle } from '@gatekeeper/db/client'
import type { AuditEntryWire } from '@gatekeeper/models'
import { type FakeAegis, startFakeAegis, webhookHeaders } from '@gatekeeper/testkit/aegis'
import { type AppProcess, startConsoleApi } from '@gatekeeper/testkit/apps'
import { createTestDatabase, type TestDatabase } from '@gatekeeper/testkit/postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, testEnv, WEBHOOK_SECRET } from './harness'

// When access ends: sign-out, removal, a password reset. Two real console-api processes (replicas A and B) on one
// database, called over HTTP, with the cache on (60 s): whatever ends access on one replica ends it on the other.

let testDb: TestDatabase
let aegis: FakeAegis
let db: DbHandle
let ops: AdminOps
let a: AppProcess
let b: AppProcess
/** Every bearer token the tests handed out: none may appear in either replica's output. */
const issued: string[] = []

beforeAll(async () => {
  testDb = await createTestDatabase()
  aegis = await startFakeAegis()
  db = createDb(testDb.url, { max: 2 })
  ops = createAdminOps({ db: db.db, sealer: createSealer({ active: { id: 'k', key: randomBytes(32) } }) })
  const env = testEnv(testDb.url, aegis, {
    LOG_LEVEL: 'debug',
    CONSOLE_LOCAL_SIGNIN: 'true',
    AEGIS_AUTH_CACHE_TTL_SECONDS: '60',
  })
  ;[a, b] = await Promise.all([
    startConsoleApi({ env, inheritEnv: false, name: 'console-api-a' }),
    startConsoleApi({ env, inheritEnv: false, name: 'console-api-b' }),
  ])
}, 90_000)

afterAll(async () => {
  await Promise.allSettled([a?.kill(), b?.kill()])
  await aegis?.stop()
  await db?.close()
  await testDb?.drop()
})

function call(app: AppProcess, method: string, path: string, token?: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {}
  if (token !== undefined) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  return fetch(`${app.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
}

const routes = (app: AppProcess, token: string) => call(app, 'GET', '/api/admin/routes', token)
const signOut = (app: AppProcess, token: string) => call(app, 'DELETE', '/api/admin/session', token)

async function localSession(app: AppProcess): Promise<string> {
  const { code } = await ops.tokens.createSignInCode(600, new Date())
  const res = await call(app, 'POST', '/api/auth/local-sign-in', undefined, { code })
  expect(res.status).toBe(200)
  const { token } = (await res.json()) as { token: string }
  issued.push(code, token)
  return token
}

async function newAdmin() {
  const { user, token } = aegis.addUser()
  const admin = await ops.admins.add(SYSTEM_ACTOR, { email: user.email, aegis_user_id: user.uuid })
  issued.push(token)
  return { user, token, adminId: admin.admin_id }
}

describe('sign-out', () => {
  it('revokes a local session on the server: a copy of the token is refused on every replica', async () => {
    const token = await localSession(a)
    const copy = token
    expect((await routes(a, token)).status).toBe(200)
    expect((await routes(b, copy)).status).toBe(200)

    expect((await signOut(a, token)).status).toBe(204)

    for (const app of [a, b]) {
      const res = await routes(app, copy)
      expect(res.status).toBe(401)
      expect(((await res.json()) as { message: string }).message).toMatch(/revoked/)
    }
    // Signing out again with the dead token is refused like any other use of it.
    expect((await signOut(b, copy)).status).toBe(401)
    const [entry] = await ops.audit.list({ action: 'admin_token.sign_out', limit: 1 })
    expect(entry).toMatchObject({ actor: 'local-admin', actor_type: 'local_admin', entity_type: 'admin_token' })
    // Another session, from another link, is untouched.
    expect((await routes(b, await localSession(b))).status).toBe(200)
  })

  it('an admin API token is not a session: 409, and it keeps working', async () => {
    const created = await ops.tokens.create(SYSTEM_ACTOR, { name: 'ci-signout', scope: 'write' }, new Date())
    const res = await signOut(a, created.token)
    expect(res.status).toBe(409)
    expect(((await res.json()) as { message: string }).message).toMatch(/DELETE \/api\/admin\/tokens\//)
    expect((await routes(b, created.token)).status).toBe(200)
  })

  it('an Aegis token leaves the sign-in cache: its next use asks Aegis again', async () => {
    const { token } = await newAdmin()
    expect((await routes(a, token)).status).toBe(200)
    const asked = aegis.callsTo('/api/auth/me').length
    expect((await routes(a, token)).status).toBe(200)
    expect(aegis.callsTo('/api/auth/me').length).toBe(asked)

    expect((await signOut(a, token)).status).toBe(204)
    // Aegis has ended it meanwhile (as after its own sign-out): refused at once, not served from the cache.
    aegis.revokeToken(token)
    expect((await routes(a, token)).status).toBe(401)
  })
})

describe('removal and password reset end access everywhere', () => {
  it('an admin removed on replica A is refused at once on replica B, whose cache still holds the sign-in', async () => {
    const keeper = await newAdmin()
    const leaving = await newAdmin()
    expect((await routes(b, leaving.token)).status).toBe(200)
    expect((await call(a, 'DELETE', `/api/admin/admins/${leaving.adminId}`, keeper.token)).status).toBe(204)
    expect((await routes(b, leaving.token)).status).toBe(403)
  })

  it('removing an admin revokes the admin API tokens they created, so none keeps their access', async () => {
    const keeper = await newAdmin()
    const leaving = await newAdmin()
    const created = await call(a, 'POST', '/api/admin/tokens', leaving.token, {
      name: 'made-by-leaver',
      scope: 'write',
    })
    expect(created.status).toBe(201)
    const token = ((await created.json()) as { token: string }).token
    const keepersToken = (
      (await (
        await call(a, 'POST', '/api/admin/tokens', keeper.token, { name: 'made-by-keeper', scope: 'read' })
      ).json()) as {
        token: string
      }
    ).token
    expect((await routes(b, token)).status).toBe(200)

    expect((await call(a, 'DELETE', `/api/admin/admins/${leaving.adminId}`, keeper.token)).status).toBe(204)
    const refused = await routes(b, token)
    expect(refused.status).toBe(401)
    expect(((await refused.json()) as { message: string }).message).toMatch(/revoked/)
    expect((await routes(b, keepersToken)).status).toBe(200)
    const [entry] = await ops.audit.list({ action: 'admin_token.revoke', actor: keeper.user.email, limit: 1 })
    expect(entry?.after).toMatchObject({ name: 'made-by-leaver', revoked_because: 'creator_removed' })
  })

  it('a password reset through the proxy drops cached sign-ins, so tokens Aegis ended are refused at once', async () => {
    const { user, token } = await newAdmin()
    expect((await routes(a, token)).status).toBe(200)
    expect((await call(a, 'POST', '/api/auth/request-password-reset', undefined, { email: user.email })).status).toBe(
      200,
    )
    const resetToken = aegis.emailedToken('reset', user.uuid)
    expect(resetToken).toBeDefined()
    // Aegis ends the user's tokens with the old password; the cache of replica A does not know it yet.
    aegis.revokeToken(token)
    expect((await routes(a, token)).status).toBe(200)
    const reset = await call(a, 'POST', '/api/auth/reset-password', undefined, {
      token: resetToken,
      new_password: 'a brand new passphrase',
    })
    expect(reset.status).toBe(200)
    expect((await routes(a, token)).status).toBe(401)
  })
})

describe('the last console admin', () => {
  it('is kept when Aegis reports the user deleted, and cannot be removed with an admin token', async () => {
    for (const admin of await ops.admins.list()) {
      const others = (await ops.admins.list()).length
      if (others > 1) await ops.admins.remove(SYSTEM_ACTOR, admin.admin_id)
    }
    const [last] = await ops.admins.list()
    expect(last).toBeDefined()
    const lastEmail = last?.email ?? ''
    const lastUuid = last?.aegis_user_id ?? ''
    const body = JSON.stringify({ event_type: 'user.deleted', site_id: aegis.siteId, user_id: lastUuid, email: null })
    const hook = await fetch(`${a.url}/api/webhooks/aegis`, {
      method: 'POST',
      headers: webhookHeaders(WEBHOOK_SECRET, body),
      body,
    })
    expect(hook.status).toBe(200)
    expect(await hook.json()).toEqual({ status: 'ok', outcome: 'last_admin_kept' })
    expect((await ops.admins.list()).map((x) => x.email)).toEqual([lastEmail])
    const [refused] = await ops.audit.list({ action: 'console_admin.deprovision_refused', limit: 1 })
    expect(refused).toMatchObject({ actor: 'aegis', actor_type: 'webhook' } satisfies Partial<AuditEntryWire>)

    const write = await ops.tokens.create(SYSTEM_ACTOR, { name: 'ci-last-admin', scope: 'write' }, new Date())
    const res = await call(b, 'DELETE', `/api/admin/admins/${last?.admin_id}`, write.token)
    expect(res.status).toBe(409)
    expect(((await res.json()) as { message: string }).message).toMatch(/last console admin/)
    expect(await ops.admins.list()).toHaveLength(1)
  })

  it('two removals at once cannot remove the last two admins', async () => {
    const second = await newAdmin()
    const [first] = (await ops.admins.list()).filter((x) => x.admin_id !== second.adminId)
    const write = await ops.tokens.create(SYSTEM_ACTOR, { name: 'ci-race', scope: 'write' }, new Date())
    const results = await Promise.all([
      call(a, 'DELETE', `/api/admin/admins/${first?.admin_id}`, write.token),
      call(b, 'DELETE', `/api/admin/admins/${second.adminId}`, write.token),
    ])
    expect(results.map((r) => r.status).sort()).toEqual([204, 409])
    expect(await ops.admins.list()).toHaveLength(1)
  })
})

describe('logs', () => {
  it('no raw token, sign-in code or secret reaches either replica’s output', () => {
    const output = [...a.lines(), ...b.lines()].join('\n')
    expect(issued.length).toBeGreaterThan(10)
    for (const secret of issued) expect(output).not.toContain(secret)
    expect(output).not.toMatch(/gka_[A-Za-z0-9]{20}/)
    expect(output).not.toMatch(/gkl_[A-Za-z0-9]{20}/)
    expect(output).not.toContain(aegis.tenantApiKey)
    expect(output).not.toContain(WEBHOOK_SECRET)
  })
})
