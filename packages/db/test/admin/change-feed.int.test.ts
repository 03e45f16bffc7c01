import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AdminTestContext, actor, createAdminTestContext, expectApiError } from '../admin-support'
import { type ConfigListener, listenForConfig } from '../listener'

// Admin writes reach authz through the database's change feed (triggers + NOTIFY), not app code.

let ctx: AdminTestContext
let listener: ConfigListener

beforeAll(async () => {
  ctx = await createAdminTestContext()
  listener = await listenForConfig(ctx.testDb.url)
})

afterAll(async () => {
  await listener?.close()
  await ctx?.close()
})

describe('change feed', () => {
  it('announces each committed admin write, and nothing for a refused one', async () => {
    const client = await ctx.newClient()
    const created = await listener.take(2)
    expect(created.map((n) => [n.table, n.op])).toEqual([
      ['clients', 'insert'],
      ['client_credentials', 'insert'],
    ])
    expect(created[0]?.id).toBe(client.client_id)
    expect(created[1]?.clientId).toBe(client.client_id)

    await ctx.ops.clients.update(actor(), client.client_id, { status: 'suspended' })
    expect(await listener.next()).toMatchObject({ table: 'clients', op: 'update', id: client.client_id })

    await ctx.ops.clients.rotate(actor(), client.client_id, { credential: 'api_key' })
    const rotated = await listener.take(3)
    expect(rotated.map((n) => [n.table, n.op])).toEqual([
      ['client_credentials', 'delete'],
      ['client_credentials', 'insert'],
      ['clients', 'update'],
    ])

    await expectApiError(ctx.ops.clients.update(actor(), client.client_id, { status: 'active', version: 1 }), 412)
    await expectApiError(ctx.ops.routes.create(actor(), { route_pattern: 'bad' }), 400)
    const route = await ctx.newRoute()
    // The next notification is the route: the refused writes announced nothing.
    expect(await listener.next()).toMatchObject({ table: 'routes', op: 'insert', id: route.route_id })
    expect(listener.pending()).toEqual([])
  })
})
