import { permissionWireSchema, versionSchema } from '@gatekeeper/models'
import { permissionSubjects } from '@gatekeeper/models/testing'
import { describe, expect, it } from 'vitest'
import { adminAuditLog } from '../../src/schema'
import { actor, expectApiError, KEY_ORDER, keysOf, useAdminTestContext } from '../admin-support'

const ctx = useAdminTestContext()

// `version` is additive (not yet in the shared schema).
const strictPermission = permissionWireSchema.extend({ version: versionSchema }).strict()

async function clientAndRoute() {
  const client = await ctx.newClient()
  const route = await ctx.newRoute()
  return { client, route }
}

describe('permissions', () => {
  it('grants, then replaces the methods of the same pair (created true, then false)', async () => {
    const { client, route } = await clientAndRoute()
    const who = actor()
    const first = await ctx.ops.permissions.grant(who, {
      client_id: client.client_id,
      route_id: route.route_id,
      allowed_methods: ['POST', 'GET', 'GET'],
    })
    expect(first.created).toBe(true)
    expect(strictPermission.parse(first.permission)).toEqual(first.permission)
    expect(keysOf(first.permission)).toEqual(KEY_ORDER.permission)
    expect(first.permission).toMatchObject({
      ...permissionSubjects(client, route),
      allowed_methods: ['GET', 'POST'],
      version: 1,
    })
    const id = first.permission.permission_id
    expect((await ctx.auditRows(id))[0]).toMatchObject({
      action: 'permission.grant',
      actor: who.actor,
      before: null,
      after: first.permission,
    })

    const second = await ctx.ops.permissions.grant(who, {
      client_id: client.client_id.toUpperCase(),
      route_id: route.route_id,
      allowed_methods: ['DELETE'],
    })
    expect(second.created).toBe(false)
    expect(second.permission).toMatchObject({ permission_id: id, allowed_methods: ['DELETE'], version: 2 })
    expect(second.permission.created_at).toBe(first.permission.created_at)
    expect((await ctx.auditRows(id))[0]).toMatchObject({
      action: 'permission.update',
      before: first.permission,
      after: second.permission,
    })

    // The same methods again: nothing to change, nothing written.
    const third = await ctx.ops.permissions.grant(who, {
      client_id: client.client_id,
      route_id: route.route_id,
      allowed_methods: ['DELETE'],
    })
    expect(third).toEqual({ created: false, permission: second.permission })
    expect(await ctx.auditRows(id)).toHaveLength(2)
    expect(await ctx.ops.permissions.get(id)).toEqual(second.permission)
  })

  it('concurrent grants of one pair both succeed and leave one row', async () => {
    const { client, route } = await clientAndRoute()
    const grants = await Promise.all(
      (['GET', 'POST', 'PUT', 'PATCH'] as const).map((method) =>
        ctx.ops.permissions.grant(actor(), {
          client_id: client.client_id,
          route_id: route.route_id,
          allowed_methods: [method],
        }),
      ),
    )
    expect(grants.filter((g) => g.created)).toHaveLength(1)
    expect(new Set(grants.map((g) => g.permission.permission_id)).size).toBe(1)
    expect(await ctx.ops.permissions.list({ client_id: client.client_id })).toHaveLength(1)
  })

  it('validates grants and 404s a missing client or route', async () => {
    const { client, route } = await clientAndRoute()
    const err = await expectApiError(
      ctx.ops.permissions.grant(actor(), { client_id: 'x', route_id: route.route_id, allowed_methods: ['get'] }),
      400,
      'validation_error',
    )
    expect((err.details ?? []).map((d) => d.path).sort()).toEqual(['allowed_methods.0', 'client_id'])
    await expectApiError(
      ctx.ops.permissions.grant(actor(), {
        client_id: client.client_id,
        route_id: route.route_id,
        allowed_methods: [],
      }),
      400,
      'validation_error',
    )
    const audits = (await ctx.handle.db.select().from(adminAuditLog)).length
    const noClient = await expectApiError(
      ctx.ops.permissions.grant(actor(), {
        client_id: '00000000-0000-4000-8000-000000000002',
        route_id: route.route_id,
        allowed_methods: ['GET'],
      }),
      404,
      'not_found',
    )
    expect(noClient.message).toBe('client not found')
    const noRoute = await expectApiError(
      ctx.ops.permissions.grant(actor(), {
        client_id: client.client_id,
        route_id: '00000000-0000-4000-8000-000000000003',
        allowed_methods: ['GET'],
      }),
      404,
      'not_found',
    )
    expect(noRoute.message).toBe('route not found')
    expect((await ctx.handle.db.select().from(adminAuditLog)).length).toBe(audits)
  })

  it('lists with filters and opt-in pagination, in creation order', async () => {
    const { client, route } = await clientAndRoute()
    const route2 = await ctx.newRoute()
    const a = await ctx.ops.permissions.grant(actor(), {
      client_id: client.client_id,
      route_id: route.route_id,
      allowed_methods: ['GET'],
    })
    const b = await ctx.ops.permissions.grant(actor(), {
      client_id: client.client_id,
      route_id: route2.route_id,
      allowed_methods: ['GET'],
    })
    const byClient = await ctx.ops.permissions.list({ client_id: client.client_id })
    expect(byClient.map((p) => p.permission_id)).toEqual([a.permission.permission_id, b.permission.permission_id])
    expect(await ctx.ops.permissions.list({ route_id: route2.route_id })).toEqual([b.permission])
    expect(await ctx.ops.permissions.list({ client_id: client.client_id, route_id: route.route_id })).toEqual([
      a.permission,
    ])
    expect(await ctx.ops.permissions.list({ client_id: client.client_id, limit: 1, offset: '1' })).toEqual([
      b.permission,
    ])
    const all = await ctx.ops.permissions.list({ client_id: '', route_id: '' })
    expect(all.length).toBeGreaterThanOrEqual(2)
    for (const item of all) {
      strictPermission.parse(item)
      expect(keysOf(item)).toEqual(KEY_ORDER.permission)
    }
    expect(await ctx.ops.permissions.list()).toEqual(all)
    await expectApiError(ctx.ops.permissions.list({ client_id: 'nope' }), 400, 'validation_error')
  })

  it('revokes by id (with an optional version) and by pair, auditing each', async () => {
    const { client, route } = await clientAndRoute()
    const granted = await ctx.ops.permissions.grant(actor(), {
      client_id: client.client_id,
      route_id: route.route_id,
      allowed_methods: ['GET'],
    })
    const id = granted.permission.permission_id
    await expectApiError(ctx.ops.permissions.revoke(actor(), id, { expectedVersion: 7 }), 412)
    const who = actor()
    expect(await ctx.ops.permissions.revoke(who, id, { expectedVersion: 1 })).toEqual(granted.permission)
    expect((await ctx.auditRows(id))[0]).toMatchObject({
      action: 'permission.revoke',
      actor: who.actor,
      before: granted.permission,
      after: null,
    })
    await expectApiError(ctx.ops.permissions.revoke(actor(), id), 404, 'not_found')
    await expectApiError(ctx.ops.permissions.get(id), 404, 'not_found')

    const again = await ctx.ops.permissions.grant(actor(), {
      client_id: client.client_id,
      route_id: route.route_id,
      allowed_methods: ['PUT'],
    })
    expect(again.created).toBe(true)
    expect(await ctx.ops.permissions.revokePair(actor(), client.client_id, route.route_id)).toEqual(again.permission)
    await expectApiError(ctx.ops.permissions.revokePair(actor(), client.client_id, route.route_id), 404)
  })
})
