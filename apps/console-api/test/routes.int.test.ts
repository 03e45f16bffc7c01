import { randomUUID } from 'node:crypto'
import type { AuditEntryWire, ErrorEnvelope, RouteWire } from '@gatekeeper/models'
import { describe, expect, it } from 'vitest'
import { json, must, useAdminHarness } from './harness'

const { h, admin: session } = useAdminHarness()

const ROUTE_KEYS = ['route_id', 'route_pattern', 'domain', 'service_name', 'methods', 'created_at', 'updated_at']

function routeBody(overrides: Record<string, unknown> = {}) {
  const n = randomUUID().slice(0, 8)
  return {
    route_pattern: `/api/r-${n}/*`,
    domain: `api-${n}.example.com`,
    service_name: `svc-${n}`,
    methods: { GET: { auth_required: false, auth_type: null }, POST: { auth_required: true, auth_type: 'api_key' } },
    ...overrides,
  }
}

async function createRoute(overrides: Record<string, unknown> = {}) {
  const res = await h.call('POST', '/api/admin/routes', { token: session.token, json: routeBody(overrides) })
  expect(res.status).toBe(201)
  return json<RouteWire & { version: number }>(res)
}

describe('routes', () => {
  it('creates a route (201, ETag) and lists it in the compatible shape', async () => {
    const res = await h.call('POST', '/api/admin/routes', {
      token: session.token,
      json: routeBody({ domain: undefined }),
    })
    expect(res.status).toBe(201)
    const route = await json<RouteWire>(res)
    expect(route.domain).toBe('*')
    expect(res.headers.get('etag')).toBe(`"${route.version}"`)
    expect(res.headers.get('cache-control')).toBe('no-store')

    const list = await h.call('GET', '/api/admin/routes', { token: session.token })
    expect(list.status).toBe(200)
    const routes = await json<RouteWire[]>(list)
    expect(Array.isArray(routes)).toBe(true)
    const listed = must(routes.find((r) => r.route_id === route.route_id))
    expect(Object.keys(listed).slice(0, ROUTE_KEYS.length)).toEqual(ROUTE_KEYS)
    expect(Number.isInteger(listed.created_at)).toBe(true)
    expect(listed.methods).toEqual({
      GET: { auth_required: false, auth_type: null },
      POST: { auth_required: true, auth_type: 'api_key' },
    })
  })

  it('paginates only when asked', async () => {
    await createRoute()
    await createRoute()
    const all = await json<RouteWire[]>(await h.call('GET', '/api/admin/routes', { token: session.token }))
    const page = await json<RouteWire[]>(
      await h.call('GET', '/api/admin/routes?limit=1&offset=1', { token: session.token }),
    )
    expect(all.length).toBeGreaterThanOrEqual(3)
    expect(page).toEqual([all[1]])
    const bad = await h.call('GET', '/api/admin/routes?limit=abc', { token: session.token })
    expect(bad.status).toBe(400)
    expect((await json<ErrorEnvelope>(bad)).details?.[0]?.path).toBe('limit')
  })

  it('answers 400 with field-level details for an invalid body', async () => {
    const res = await h.call('POST', '/api/admin/routes', {
      token: session.token,
      json: routeBody({ methods: { GET: { auth_required: true, auth_type: null } }, service_name: '' }),
    })
    expect(res.status).toBe(400)
    const body = await json<ErrorEnvelope>(res)
    expect(Object.keys(body)).toEqual(['code', 'status', 'message', 'error', 'details'])
    expect(body).toMatchObject({ code: 400, status: 'error', error: 'validation_error' })
    const paths = must(body.details).map((d) => d.path)
    expect(paths).toContain('methods.GET.auth_type')
    expect(paths).toContain('service_name')
  })

  it('answers 400 for malformed JSON and for a non-JSON content type', async () => {
    const malformed = await h.call('POST', '/api/admin/routes', {
      token: session.token,
      body: '{"route_pattern": ',
      headers: { 'content-type': 'application/json' },
    })
    expect(malformed.status).toBe(400)
    expect((await json(malformed)).error).toBe('bad_request')
    const text = await h.call('POST', '/api/admin/routes', {
      token: session.token,
      body: 'route_pattern=/x',
      headers: { 'content-type': 'text/plain' },
    })
    expect(text.status).toBe(400)
  })

  it('answers 409 for a duplicate domain + pattern', async () => {
    const body = routeBody()
    expect((await h.call('POST', '/api/admin/routes', { token: session.token, json: body })).status).toBe(201)
    const dup = await h.call('POST', '/api/admin/routes', { token: session.token, json: body })
    expect(dup.status).toBe(409)
    expect((await json(dup)).error).toBe('conflict')
  })

  it('reads one route with an ETag; unknown and malformed ids are 404', async () => {
    const route = await createRoute()
    const res = await h.call('GET', `/api/admin/routes/${route.route_id}`, { token: session.token })
    expect(res.status).toBe(200)
    expect(res.headers.get('etag')).toBe(`"${route.version}"`)
    expect(await json(res)).toEqual(route)
    for (const id of [randomUUID(), 'not-a-uuid', "1' OR '1'='1"]) {
      const missing = await h.call('GET', `/api/admin/routes/${encodeURIComponent(id)}`, { token: session.token })
      expect(missing.status).toBe(404)
      expect(await json(missing)).toMatchObject({ code: 404, error: 'not_found', message: 'route not found' })
    }
  })

  it('updates with If-Match; a stale version is 412 and changes nothing', async () => {
    const route = await createRoute()
    const ok = await h.call('PUT', `/api/admin/routes/${route.route_id}`, {
      token: session.token,
      json: { service_name: 'renamed' },
      headers: { 'if-match': `"${route.version}"` },
    })
    expect(ok.status).toBe(200)
    const updated = await json<RouteWire & { version: number }>(ok)
    expect(updated.service_name).toBe('renamed')
    expect(updated.version).toBeGreaterThan(route.version)
    expect(ok.headers.get('etag')).toBe(`"${updated.version}"`)

    const stale = await h.call('PUT', `/api/admin/routes/${route.route_id}`, {
      token: session.token,
      json: { service_name: 'lost update' },
      headers: { 'if-match': `"${route.version}"` },
    })
    expect(stale.status).toBe(412)
    expect((await json(stale)).error).toBe('precondition_failed')
    const staleBody = await h.call('PUT', `/api/admin/routes/${route.route_id}`, {
      token: session.token,
      json: { service_name: 'lost update', version: route.version },
    })
    expect(staleBody.status).toBe(412)
    const junk = await h.call('PUT', `/api/admin/routes/${route.route_id}`, {
      token: session.token,
      json: { service_name: 'x' },
      headers: { 'if-match': 'W/"1"' },
    })
    expect(junk.status).toBe(412)
    const current = await json<RouteWire>(
      await h.call('GET', `/api/admin/routes/${route.route_id}`, { token: session.token }),
    )
    expect(current.service_name).toBe('renamed')
  })

  it('rejects an empty update and unknown ids', async () => {
    const route = await createRoute()
    const empty = await h.call('PUT', `/api/admin/routes/${route.route_id}`, { token: session.token, json: {} })
    expect(empty.status).toBe(400)
    const missing = await h.call('PUT', `/api/admin/routes/${randomUUID()}`, {
      token: session.token,
      json: { service_name: 'x' },
    })
    expect(missing.status).toBe(404)
  })

  it('deletes with 204 and no body, says what cascaded, and 404s afterwards', async () => {
    const route = await createRoute()
    const client = await h.ops.clients.create({ actor: 't', actorType: 'system' }, { client_name: 'c', api_key: true })
    await h.ops.permissions.grant(
      { actor: 't', actorType: 'system' },
      {
        client_id: client.client_id,
        route_id: route.route_id,
        allowed_methods: ['GET'],
      },
    )
    const stale = await h.call('DELETE', `/api/admin/routes/${route.route_id}`, {
      token: session.token,
      headers: { 'if-match': `"${route.version + 5}"` },
    })
    expect(stale.status).toBe(412)
    const res = await h.call('DELETE', `/api/admin/routes/${route.route_id}`, {
      token: session.token,
      headers: { 'if-match': `"${route.version}"` },
    })
    expect(res.status).toBe(204)
    expect(await res.text()).toBe('')
    expect(res.headers.get('gatekeeper-cascaded')).toBe('permissions=1')
    expect((await h.call('GET', `/api/admin/routes/${route.route_id}`, { token: session.token })).status).toBe(404)
    expect((await h.call('DELETE', `/api/admin/routes/${route.route_id}`, { token: session.token })).status).toBe(404)
  })

  it('writes an audit row naming the admin and the request for every change', async () => {
    const res = await h.call('POST', '/api/admin/routes', {
      token: session.token,
      json: routeBody(),
      headers: { 'x-request-id': 'req-route-audit-1' },
    })
    const route = await json<RouteWire>(res)
    await h.call('PUT', `/api/admin/routes/${route.route_id}`, {
      token: session.token,
      json: { service_name: 'audited' },
    })
    await h.call('DELETE', `/api/admin/routes/${route.route_id}`, { token: session.token })
    const audit = await json<AuditEntryWire[]>(
      await h.call('GET', `/api/admin/audit?entity_type=route&entity_id=${route.route_id}`, { token: session.token }),
    )
    expect(audit.map((a) => a.action)).toEqual(['route.delete', 'route.update', 'route.create'])
    for (const entry of audit) expect(entry).toMatchObject({ actor: session.email, actor_type: 'console_admin' })
    expect(audit[2]?.request_id).toBe('req-route-audit-1')
    expect(audit[2]?.after).toMatchObject({ route_id: route.route_id })
  })
})
