import { randomUUID } from 'node:crypto'
import type { AuditEntryWire, ConsoleAdminWire, ErrorEnvelope } from '@gatekeeper/models'
import { describe, expect, it } from 'vitest'
import { json, must, useAdminHarness } from './harness'

const { h, admin: session } = useAdminHarness()

describe('console admins', () => {
  it('lists, adds (201), refuses duplicates (409) and removes (204)', async () => {
    const newEmail = `new-${randomUUID().slice(0, 8)}@Example.com`
    const added = await h.call('POST', '/api/admin/admins', { token: session.token, json: { email: newEmail } })
    expect(added.status).toBe(201)
    const admin = await json<ConsoleAdminWire>(added)
    expect(admin).toMatchObject({ email: newEmail.toLowerCase(), aegis_user_id: null, source: 'api' })
    expect(Object.keys(admin)).toEqual([
      'admin_id',
      'aegis_user_id',
      'email',
      'created_at',
      'source',
      'binding',
      'aegis_webhook_user_id',
    ])

    const list = await json<ConsoleAdminWire[]>(await h.call('GET', '/api/admin/admins', { token: session.token }))
    expect(list.map((a) => a.email)).toEqual(expect.arrayContaining([session.email, newEmail.toLowerCase()]))

    const dup = await h.call('POST', '/api/admin/admins', {
      token: session.token,
      json: { email: newEmail.toUpperCase() },
    })
    expect(dup.status).toBe(409)

    const removed = await h.call('DELETE', `/api/admin/admins/${admin.admin_id}`, { token: session.token })
    expect(removed.status).toBe(204)
    expect(await removed.text()).toBe('')
    expect((await h.call('DELETE', `/api/admin/admins/${admin.admin_id}`, { token: session.token })).status).toBe(404)
    expect((await h.call('DELETE', '/api/admin/admins/42', { token: session.token })).status).toBe(404)
  })

  it('validates the email', async () => {
    const res = await h.call('POST', '/api/admin/admins', { token: session.token, json: { email: 'not an email' } })
    expect(res.status).toBe(400)
    expect(must((await json<ErrorEnvelope>(res)).details)[0]?.path).toBe('email')
  })
})

describe('audit log', () => {
  it('filters by actor, entity, action and time, newest first, paginated', async () => {
    const other = await h.newAdmin()
    const added = await json<ConsoleAdminWire>(
      await h.call('POST', '/api/admin/admins', {
        token: other.token,
        json: { email: `a-${randomUUID().slice(0, 8)}@example.com` },
      }),
    )
    await h.call('DELETE', `/api/admin/admins/${added.admin_id}`, { token: other.token })
    const read = (query: string) =>
      h.call('GET', `/api/admin/audit${query}`, { token: session.token }).then(json<AuditEntryWire[]>)

    const byActor = await read(`?actor=${encodeURIComponent(other.email)}`)
    expect(byActor.map((a) => a.action)).toEqual(['console_admin.remove', 'console_admin.add'])
    expect(byActor[0]?.at).toBeGreaterThanOrEqual(byActor[1]?.at ?? Number.POSITIVE_INFINITY)
    expect(Object.keys(byActor[0] ?? {})).toEqual([
      'audit_id',
      'at',
      'actor',
      'actor_type',
      'action',
      'entity_type',
      'entity_id',
      'before',
      'after',
      'request_id',
    ])
    expect(await read(`?entity_type=console_admin&entity_id=${added.admin_id}&action=console_admin.add`)).toHaveLength(
      1,
    )
    expect(await read(`?actor=${encodeURIComponent(other.email)}&limit=1&offset=1`)).toEqual([byActor[1]])
    const now = Math.floor(Date.now() / 1000)
    expect(await read(`?actor=${encodeURIComponent(other.email)}&until=${now - 3600}`)).toEqual([])
    expect(await read(`?actor=${encodeURIComponent(other.email)}&since=${now - 3600}`)).toHaveLength(2)
  })

  it('rejects bad filters with 400', async () => {
    for (const query of ['?entity_type=spaceship', '?limit=0', '?limit=501', '?since=10&until=5', '?offset=-1']) {
      expect((await h.call('GET', `/api/admin/audit${query}`, { token: session.token })).status, query).toBe(400)
    }
  })
})
