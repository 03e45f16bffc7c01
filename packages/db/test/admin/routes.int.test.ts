import { routeWireSchema } from '@gatekeeper/models'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { adminAuditLog, routes } from '../../src/schema'
import { actor, expectApiError, KEY_ORDER, keysOf, routeBody, useAdminTestContext } from '../admin-support'

const ctx = useAdminTestContext()

const strictRoute = routeWireSchema.strict()

describe('routes', () => {
  it('creates a route and returns it in the wire shape, methods in HTTP method order', async () => {
    const who = actor()
    const body = routeBody({
      // Neither in HTTP_METHODS order nor in jsonb's (shorter keys first).
      methods: {
        OPTIONS: { auth_required: false },
        PATCH: { auth_required: true, auth_type: 'hmac', signature_version: 'any' },
        DELETE: { auth_required: true, auth_type: 'api_key' },
        HEAD: { auth_required: false, auth_type: null },
        PUT: { auth_required: true, auth_type: 'hmac' },
        POST: { auth_required: true, auth_type: 'api_key' },
        GET: { auth_required: false, auth_type: null },
      },
    })
    const route = await ctx.ops.routes.create(who, body)
    expect(strictRoute.parse(route)).toEqual(route)
    expect(keysOf(route)).toEqual(KEY_ORDER.route)
    expect(route).toMatchObject({
      route_pattern: body.route_pattern,
      domain: body.domain,
      service_name: body.service_name,
      version: 1,
    })
    expect(keysOf(route.methods)).toEqual(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'])
    expect(route.methods.OPTIONS).toEqual({ auth_required: false, auth_type: null })
    expect(keysOf(route.methods.PATCH)).toEqual(['auth_required', 'auth_type', 'signature_version'])
    expect(Number.isInteger(route.created_at)).toBe(true)
    expect(Math.abs(route.created_at - Date.now() / 1000)).toBeLessThan(60)

    // Read back from jsonb (which reorders keys): still in HTTP method order, same bytes.
    const read = await ctx.ops.routes.get(route.route_id)
    expect(JSON.stringify(read)).toBe(JSON.stringify(route))
    expect(keysOf(read.methods)).toEqual(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'])

    const [audit] = await ctx.auditRows(route.route_id)
    expect(audit).toMatchObject({
      actor: who.actor,
      actorType: 'cli',
      action: 'route.create',
      entityType: 'route',
      requestId: who.requestId,
      before: null,
      after: route,
    })
  })

  it('lists routes as a plain array ordered by creation, each in the documented key order', async () => {
    const a = await ctx.newRoute()
    const b = await ctx.newRoute()
    const list = await ctx.ops.routes.list()
    expect(Array.isArray(list)).toBe(true)
    const ids = list.map((r) => r.route_id)
    expect(ids.indexOf(a.route_id)).toBeLessThan(ids.indexOf(b.route_id))
    for (const item of list) {
      strictRoute.parse(item)
      expect(keysOf(item)).toEqual(KEY_ORDER.route)
    }
  })

  it('paginates only when asked, accepting query-string values', async () => {
    const all = await ctx.ops.routes.list()
    expect(all.length).toBeGreaterThanOrEqual(3)
    const page = await ctx.ops.routes.list({ limit: '2', offset: '1' })
    expect(page.map((r) => r.route_id)).toEqual(all.slice(1, 3).map((r) => r.route_id))
    await expectApiError(ctx.ops.routes.list({ limit: '0' }), 400, 'validation_error')
    await expectApiError(ctx.ops.routes.list({ limit: '1e3' }), 400, 'validation_error')
  })

  it('defaults domain to * on create', async () => {
    const { domain: _, ...body } = routeBody()
    const route = await ctx.ops.routes.create(actor(), body)
    expect(route.domain).toBe('*')
  })

  it('rejects invalid bodies with 400 and field-level details, writing nothing', async () => {
    const before = await ctx.handle.db.select().from(adminAuditLog)
    const err = await expectApiError(
      ctx.ops.routes.create(actor(), {
        route_pattern: 'no-slash',
        service_name: '',
        methods: { GET: { auth_required: true, auth_type: null }, FETCH: { auth_required: false } },
      }),
      400,
      'validation_error',
    )
    const paths = (err.details ?? []).map((d) => d.path)
    expect(paths).toContain('route_pattern')
    expect(paths).toContain('service_name')
    expect(paths.some((p) => p.startsWith('methods'))).toBe(true)
    await expectApiError(ctx.ops.routes.create(actor(), null), 400, 'validation_error')
    await expectApiError(ctx.ops.routes.create(actor(), 'route'), 400, 'validation_error')
    await expectApiError(
      ctx.ops.routes.create(actor(), routeBody({ methods: { GET: { auth_required: false, auth_type: 'hmac' } } })),
      400,
      'validation_error',
    )
    const after = await ctx.handle.db.select().from(adminAuditLog)
    expect(after.length).toBe(before.length)
  })

  it('refuses a duplicate (domain, route_pattern) with 409 and leaves no audit row', async () => {
    const body = routeBody()
    const first = await ctx.ops.routes.create(actor(), body)
    const audits = (await ctx.handle.db.select().from(adminAuditLog)).length
    const err = await expectApiError(
      ctx.ops.routes.create(actor(), { ...body, service_name: 'other' }),
      409,
      'conflict',
    )
    expect(err.message).not.toMatch(/insert|select|routes_domain|duplicate key/i)
    expect((await ctx.handle.db.select().from(adminAuditLog)).length).toBe(audits)
    // Same pattern on another domain is a different route.
    await ctx.ops.routes.create(actor(), { ...body, domain: 'other.example.com' })
    // An update into an existing pair is a 409 too.
    const other = await ctx.newRoute()
    await expectApiError(
      ctx.ops.routes.update(actor(), other.route_id, { domain: first.domain, route_pattern: first.route_pattern }),
      409,
      'conflict',
    )
  })

  it('404s unknown and malformed ids', async () => {
    const missing = '00000000-0000-4000-8000-000000000000'
    await expectApiError(ctx.ops.routes.get(missing), 404, 'not_found')
    await expectApiError(ctx.ops.routes.get('not-a-uuid'), 404, 'not_found')
    await expectApiError(ctx.ops.routes.update(actor(), missing, { service_name: 'x' }), 404, 'not_found')
    await expectApiError(ctx.ops.routes.remove(actor(), missing), 404, 'not_found')
    await expectApiError(ctx.ops.routes.cascadePreview(missing), 404, 'not_found')
  })

  it('updates the given fields, bumps version and audits before/after', async () => {
    const route = await ctx.newRoute()
    const who = actor()
    const updated = await ctx.ops.routes.update(who, route.route_id, {
      service_name: 'renamed',
      methods: { PATCH: { auth_required: true, auth_type: 'api_key' } },
      version: 1,
    })
    strictRoute.parse(updated)
    expect(updated).toMatchObject({
      route_id: route.route_id,
      route_pattern: route.route_pattern,
      domain: route.domain,
      service_name: 'renamed',
      methods: { PATCH: { auth_required: true, auth_type: 'api_key' } },
      version: 2,
    })
    expect(Object.keys(updated.methods)).toEqual(['PATCH'])
    const [audit] = await ctx.auditRows(route.route_id)
    expect(audit).toMatchObject({ action: 'route.update', actor: who.actor, before: route, after: updated })

    // Without a version: last write wins, still bumps.
    const again = await ctx.ops.routes.update(actor(), route.route_id, { service_name: 'again' })
    expect(again.version).toBe(3)
    await expectApiError(ctx.ops.routes.update(actor(), route.route_id, { version: 3 }), 400, 'validation_error')
  })

  it('refuses a stale version with 412 and changes nothing', async () => {
    const route = await ctx.newRoute()
    await ctx.ops.routes.update(actor(), route.route_id, { service_name: 'first', version: 1 })
    await expectApiError(
      ctx.ops.routes.update(actor(), route.route_id, { service_name: 'second', version: 1 }),
      412,
      'precondition_failed',
    )
    await expectApiError(
      ctx.ops.routes.remove(actor(), route.route_id, { expectedVersion: 1 }),
      412,
      'precondition_failed',
    )
    const read = await ctx.ops.routes.get(route.route_id)
    expect(read).toMatchObject({ service_name: 'first', version: 2 })
    expect((await ctx.auditRows(route.route_id)).map((a) => a.action)).toEqual(['route.update', 'route.create'])
  })

  it('lets exactly one of two concurrent updates with the same version win', async () => {
    const route = await ctx.newRoute()
    const results = await ctx.raceBehindConfigLock([
      () => ctx.ops.routes.update(actor('alice'), route.route_id, { service_name: 'alice', version: 1 }),
      () => ctx.ops.routes.update(actor('bob'), route.route_id, { service_name: 'bob', version: 1 }),
    ])
    const won = results.filter((r) => r.status === 'fulfilled')
    const lost = results.filter((r) => r.status === 'rejected')
    expect(won).toHaveLength(1)
    expect(lost).toHaveLength(1)
    expect(lost[0]?.status === 'rejected' && lost[0].reason).toMatchObject({ status: 412 })
    const read = await ctx.ops.routes.get(route.route_id)
    expect(read.version).toBe(2)
    const winner = won[0]?.status === 'fulfilled' ? won[0].value : undefined
    expect(read.service_name).toBe(winner?.service_name)
    expect((await ctx.auditRows(route.route_id)).filter((a) => a.action === 'route.update')).toHaveLength(1)
  })

  it('deletes a route, reports and audits the cascaded permissions', async () => {
    const route = await ctx.newRoute()
    const c1 = await ctx.newClient()
    const c2 = await ctx.newClient()
    const p1 = await ctx.ops.permissions.grant(actor(), {
      client_id: c1.client_id,
      route_id: route.route_id,
      allowed_methods: ['GET'],
    })
    await ctx.ops.permissions.grant(actor(), {
      client_id: c2.client_id,
      route_id: route.route_id,
      allowed_methods: ['POST'],
    })
    expect(await ctx.ops.routes.cascadePreview(route.route_id)).toEqual({ permissions: 2 })

    const who = actor()
    const removed = await ctx.ops.routes.remove(who, route.route_id, { expectedVersion: 1 })
    expect(removed).toEqual({ route, cascaded: { permissions: 2 } })
    await expectApiError(ctx.ops.routes.get(route.route_id), 404)
    await expectApiError(ctx.ops.permissions.get(p1.permission.permission_id), 404)
    expect(await ctx.ops.permissions.list({ route_id: route.route_id })).toEqual([])

    const [audit] = await ctx.auditRows(route.route_id)
    expect(audit).toMatchObject({ action: 'route.delete', actor: who.actor, before: route, after: null })
    const [revoked] = await ctx.auditRows(p1.permission.permission_id)
    expect(revoked).toMatchObject({ action: 'permission.revoke', actor: who.actor, before: p1.permission })
    expect(await ctx.handle.db.select().from(routes).where(eq(routes.id, route.route_id))).toEqual([])
  })
})
