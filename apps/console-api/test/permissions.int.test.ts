import { randomUUID } from 'node:crypto'
import type { AuditEntryWire, ErrorEnvelope, PermissionWire } from '@gatekeeper/models'
import { PERMISSION_KEYS } from '@gatekeeper/models/testing'
import { describe, expect, it } from 'vitest'
import { json, must, SYSTEM_ACTOR, useAdminHarness } from './harness'

const { h, admin: session } = useAdminHarness()

type Permission = PermissionWire & { version: number }

async function clientAndRoute() {
  const n = randomUUID().slice(0, 8)
  const client = await h.ops.clients.create(SYSTEM_ACTOR, { client_name: `c-${n}`, api_key: true })
  const route = await h.ops.routes.create(SYSTEM_ACTOR, {
    route_pattern: `/p-${n}/*`,
    domain: `p-${n}.example.com`,
    service_name: `svc-${n}`,
    methods: { GET: { auth_required: true, auth_type: 'api_key' } },
  })
  return { clientId: client.client_id, routeId: route.route_id, clientName: client.client_name }
}

function grant(body: Record<string, unknown>) {
  return h.call('POST', '/api/admin/permissions', { token: session.token, json: body })
}

describe('permissions', () => {
  it('grants (201), then replaces the methods of the same grant (200)', async () => {
    const { clientId, routeId, clientName } = await clientAndRoute()
    const created = await grant({ client_id: clientId, route_id: routeId, allowed_methods: ['POST', 'GET', 'GET'] })
    expect(created.status).toBe(201)
    const first = await json<Permission>(created)
    expect(Object.keys(first).slice(0, PERMISSION_KEYS.length)).toEqual(PERMISSION_KEYS)
    expect(first).toMatchObject({ client_name: clientName, allowed_methods: ['GET', 'POST'] })
    expect(created.headers.get('etag')).toBe(`"${first.version}"`)

    const updated = await grant({ client_id: clientId, route_id: routeId, allowed_methods: ['DELETE'] })
    expect(updated.status).toBe(200)
    const second = await json<Permission>(updated)
    expect(second.permission_id).toBe(first.permission_id)
    expect(second.allowed_methods).toEqual(['DELETE'])
  })

  it('lists in the compatible shape and filters by client and route', async () => {
    const a = await clientAndRoute()
    const b = await clientAndRoute()
    await grant({ client_id: a.clientId, route_id: a.routeId, allowed_methods: ['GET'] })
    await grant({ client_id: a.clientId, route_id: b.routeId, allowed_methods: ['GET'] })
    await grant({ client_id: b.clientId, route_id: b.routeId, allowed_methods: ['GET'] })
    const list = (query: string) =>
      h.call('GET', `/api/admin/permissions${query}`, { token: session.token }).then(json<Permission[]>)
    const all = await list('')
    expect(all.length).toBeGreaterThanOrEqual(3)
    for (const p of all) expect(Object.keys(p).slice(0, PERMISSION_KEYS.length)).toEqual(PERMISSION_KEYS)
    expect((await list(`?client_id=${a.clientId}`)).map((p) => p.route_id).sort()).toEqual(
      [a.routeId, b.routeId].sort(),
    )
    expect((await list(`?route_id=${b.routeId}`)).map((p) => p.client_id).sort()).toEqual(
      [a.clientId, b.clientId].sort(),
    )
    expect(await list(`?client_id=${a.clientId}&route_id=${a.routeId}`)).toHaveLength(1)
    expect(await list(`?client_id=${randomUUID()}`)).toEqual([])
    const bad = await h.call('GET', '/api/admin/permissions?client_id=not-a-uuid', { token: session.token })
    expect(bad.status).toBe(400)
    expect(must((await json<ErrorEnvelope>(bad)).details)[0]?.path).toBe('client_id')
  })

  it('validates grants: 400 for bad methods, 404 for unknown client or route', async () => {
    const { clientId, routeId } = await clientAndRoute()
    const bad = await grant({ client_id: clientId, route_id: routeId, allowed_methods: ['get', 'TRACE'] })
    expect(bad.status).toBe(400)
    expect((await grant({ client_id: clientId, route_id: routeId, allowed_methods: [] })).status).toBe(400)
    const noClient = await grant({ client_id: randomUUID(), route_id: routeId, allowed_methods: ['GET'] })
    expect(noClient.status).toBe(404)
    expect((await json<ErrorEnvelope>(noClient)).message).toBe('client not found')
    const noRoute = await grant({ client_id: clientId, route_id: randomUUID(), allowed_methods: ['GET'] })
    expect(noRoute.status).toBe(404)
  })

  it('revokes with 204 (If-Match checked), audits grant, update and revoke', async () => {
    const { clientId, routeId } = await clientAndRoute()
    const permission = await json<Permission>(
      await grant({ client_id: clientId, route_id: routeId, allowed_methods: ['GET'] }),
    )
    await grant({ client_id: clientId, route_id: routeId, allowed_methods: ['GET', 'PUT'] })
    const path = `/api/admin/permissions/${permission.permission_id}`
    const stale = await h.call('DELETE', path, {
      token: session.token,
      headers: { 'if-match': `"${permission.version}"` },
    })
    expect(stale.status).toBe(412)
    const staleBody = await h.call('DELETE', path, { token: session.token, json: { version: permission.version } })
    expect(staleBody.status).toBe(412)
    const res = await h.call('DELETE', path, { token: session.token })
    expect(res.status).toBe(204)
    expect(await res.text()).toBe('')
    expect((await h.call('DELETE', path, { token: session.token })).status).toBe(404)
    expect((await h.call('DELETE', '/api/admin/permissions/zzz', { token: session.token })).status).toBe(404)
    const audit = await json<AuditEntryWire[]>(
      await h.call('GET', `/api/admin/audit?entity_type=permission&entity_id=${permission.permission_id}`, {
        token: session.token,
      }),
    )
    expect(audit.map((a) => a.action)).toEqual(['permission.revoke', 'permission.update', 'permission.grant'])
  })
})
