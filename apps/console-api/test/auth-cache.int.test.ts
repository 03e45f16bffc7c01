import type { AuditEntryWire } from '@gatekeeper/models'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callApp, createHarness, type Harness, json, SYSTEM_ACTOR } from './harness'

let h: Harness
beforeAll(async () => {
  h = await createHarness({ AEGIS_AUTH_CACHE_TTL_SECONDS: '60' })
})
afterAll(() => h.close())

const meCalls = () => h.aegis.callsTo('/api/auth/me').length

describe('admin auth cache', () => {
  it('a second call within the TTL does not ask Aegis again', async () => {
    const { token } = await h.newAdmin()
    expect((await h.call('GET', '/api/admin/routes', { token })).status).toBe(200)
    const after = meCalls()
    expect((await h.call('GET', '/api/admin/clients', { token })).status).toBe(200)
    expect(meCalls()).toBe(after)
  })

  it('asks Aegis again once the TTL has passed', async () => {
    const { token } = await h.newAdmin()
    await h.call('GET', '/api/admin/routes', { token })
    const after = meCalls()
    h.clock.offsetMs += 61_000
    try {
      expect((await h.call('GET', '/api/admin/routes', { token })).status).toBe(200)
      expect(meCalls()).toBe(after + 1)
    } finally {
      h.clock.offsetMs = 0
    }
  })

  it('with TTL 0 asks Aegis on every call', async () => {
    const uncached = h.withEnv({ AEGIS_AUTH_CACHE_TTL_SECONDS: '0' })
    const { token } = await h.newAdmin()
    const before = meCalls()
    for (let i = 0; i < 3; i++)
      expect((await callApp(uncached, 'GET', '/api/admin/routes', { token })).status).toBe(200)
    expect(meCalls()).toBe(before + 3)
  })

  it('never caches a 401: a token Aegis learns afterwards works at once', async () => {
    const { uuid } = await h.newAdmin()
    const token = `late-${uuid}`
    expect((await h.call('GET', '/api/admin/routes', { token })).status).toBe(401)
    h.aegis.setToken(token, uuid)
    expect((await h.call('GET', '/api/admin/routes', { token })).status).toBe(200)
  })

  it('never caches a 403: a user made admin afterwards gets in at once', async () => {
    const { user, token } = h.aegis.addUser()
    expect((await h.call('GET', '/api/admin/routes', { token })).status).toBe(403)
    await h.ops.admins.add(SYSTEM_ACTOR, { email: user.email, aegis_user_id: user.uuid })
    expect((await h.call('GET', '/api/admin/routes', { token })).status).toBe(200)
  })

  it('never caches a 503: sign-in works as soon as Aegis is back', async () => {
    const { token } = await h.newAdmin()
    h.aegis.setMode('error')
    try {
      expect((await h.call('GET', '/api/admin/routes', { token })).status).toBe(503)
    } finally {
      h.aegis.setMode('up')
    }
    expect((await h.call('GET', '/api/admin/routes', { token })).status).toBe(200)
  })

  it('drops cached sign-ins when an admin is removed, so the removal takes effect at once', async () => {
    const a = await h.newAdmin()
    const b = await h.newAdmin()
    expect((await h.call('GET', '/api/admin/routes', { token: b.token })).status).toBe(200)
    expect((await h.call('DELETE', `/api/admin/admins/${b.adminId}`, { token: a.token })).status).toBe(204)
    expect((await h.call('GET', '/api/admin/routes', { token: b.token })).status).toBe(403)
  })
})

describe('admin identity', () => {
  it('binds an admin added by email on their first sign-in with that verified email', async () => {
    const { user, token } = h.aegis.addUser({ email: 'by-email@example.com' })
    const { admin_id } = await h.ops.admins.add(SYSTEM_ACTOR, { email: 'By-Email@example.com' })
    expect((await h.call('GET', '/api/admin/routes', { token })).status).toBe(200)
    const admins = await h.ops.admins.list()
    expect(admins.find((a) => a.admin_id === admin_id)?.aegis_user_id).toBe(user.uuid)
    const audit = await json<AuditEntryWire[]>(
      await h.call('GET', `/api/admin/audit?entity_id=${admin_id}&action=console_admin.link`, { token }),
    )
    expect(audit).toHaveLength(1)
  })

  it('does not let an unverified email stand in for an admin', async () => {
    const { token } = h.aegis.addUser({ email: 'unverified@example.com', is_verified: false })
    await h.ops.admins.add(SYSTEM_ACTOR, { email: 'unverified@example.com' })
    expect((await h.call('GET', '/api/admin/routes', { token })).status).toBe(403)
  })

  it('refuses to let an admin remove themself (409)', async () => {
    const { token, adminId } = await h.newAdmin()
    const res = await h.call('DELETE', `/api/admin/admins/${adminId}`, { token })
    expect(res.status).toBe(409)
    expect((await h.ops.admins.list()).some((a) => a.admin_id === adminId)).toBe(true)
  })
})
