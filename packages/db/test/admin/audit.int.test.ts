import { auditEntryWireSchema } from '@gatekeeper/models'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { writeAudit } from '../../src/admin/audit'
import { inTransaction } from '../../src/admin/tx'
import { adminAuditLog, routes } from '../../src/schema'
import { actor, clientName, expectApiError, routeBody, useAdminTestContext } from '../admin-support'

const ctx = useAdminTestContext()

const strictEntry = auditEntryWireSchema.strict()

describe('audit log', () => {
  it('lists newest first with every filter', async () => {
    const alice = actor('alice')
    const bob = actor('bob')
    const startedAt = Math.floor(Date.now() / 1000)
    const route = await ctx.ops.routes.create(alice, routeBody())
    await ctx.ops.routes.update(bob, route.route_id, { service_name: 'b' })
    const client = await ctx.ops.clients.create(alice, { client_name: clientName(), api_key: true })

    const all = await ctx.ops.audit.list({})
    expect(all.map((e) => e.action).slice(0, 3)).toEqual(['client.create', 'route.update', 'route.create'])
    for (const entry of all) strictEntry.parse(entry)
    expect(all[0]).toMatchObject({
      actor: 'alice',
      actor_type: 'cli',
      entity_type: 'client',
      entity_id: client.client_id,
      request_id: alice.requestId,
      before: null,
    })
    expect(typeof all[0]?.audit_id).toBe('string')

    expect((await ctx.ops.audit.list({ actor: 'bob' })).map((e) => e.action)).toEqual(['route.update'])
    expect((await ctx.ops.audit.list({ entity_type: 'route' })).map((e) => e.action)).toEqual([
      'route.update',
      'route.create',
    ])
    expect(
      (await ctx.ops.audit.list({ entity_id: route.route_id.toUpperCase(), action: 'route.create' })).map(
        (e) => e.actor,
      ),
    ).toEqual(['alice'])
    expect(await ctx.ops.audit.list({ limit: '1', offset: '1' })).toEqual([all[1]])
    expect(await ctx.ops.audit.list({ since: startedAt, until: startedAt + 3600 })).toHaveLength(3)
    expect(await ctx.ops.audit.list({ since: startedAt + 3600 })).toEqual([])
    expect(await ctx.ops.audit.list({ until: String(startedAt - 1) })).toEqual([])
    // Query-string shaped input with empty values means "no filter".
    expect(await ctx.ops.audit.list({ actor: '', entity_type: '', since: '' })).toEqual(all)
    expect(await ctx.ops.audit.list()).toEqual(all)
  })

  it('validates the query', async () => {
    await expectApiError(ctx.ops.audit.list({ entity_type: 'credential' }), 400, 'validation_error')
    await expectApiError(ctx.ops.audit.list({ since: 10, until: 5 }), 400, 'validation_error')
    await expectApiError(ctx.ops.audit.list({ limit: 100000 }), 400, 'validation_error')
  })

  it('commits a change and its audit row together: a failure after the change leaves neither', async () => {
    const body = routeBody()
    const auditsBefore = (await ctx.handle.db.select().from(adminAuditLog)).length
    // The audit write refuses a raw credential; the route inserted before it must roll back with it.
    await expect(
      inTransaction(ctx.handle.db, async (tx) => {
        const [row] = await tx
          .insert(routes)
          .values({
            routePattern: String(body.route_pattern),
            domain: String(body.domain),
            serviceName: 'x',
            methods: { GET: { auth_required: false, auth_type: null } },
          })
          .returning()
        await writeAudit(tx, actor(), {
          action: 'route.create',
          entityType: 'route',
          entityId: row?.id ?? '',
          after: { api_key: 'gk_raw' },
        })
      }),
    ).rejects.toThrow(/credential/)
    expect(
      await ctx.handle.db
        .select()
        .from(routes)
        .where(eq(routes.routePattern, String(body.route_pattern))),
    ).toEqual([])

    // And an audit row written before a failing statement is rolled back with it.
    const existing = await ctx.newRoute()
    const auditsAfterCreate = (await ctx.handle.db.select().from(adminAuditLog)).length
    expect(auditsAfterCreate).toBe(auditsBefore + 1)
    await expectApiError(
      inTransaction(ctx.handle.db, async (tx) => {
        await writeAudit(tx, actor(), { action: 'route.create', entityType: 'route', entityId: 'x', after: {} })
        await tx.insert(routes).values({
          routePattern: existing.route_pattern,
          domain: existing.domain,
          serviceName: 'dup',
          methods: { GET: { auth_required: false, auth_type: null } },
        })
      }),
      409,
      'conflict',
    )
    expect((await ctx.handle.db.select().from(adminAuditLog)).length).toBe(auditsAfterCreate)
  })

  it('maps check violations to 400 without SQL in the message', async () => {
    const err = await expectApiError(
      inTransaction(ctx.handle.db, (tx) =>
        tx.insert(routes).values({
          routePattern: 'no-slash',
          domain: 'x.example.com',
          serviceName: 's',
          methods: { GET: { auth_required: false, auth_type: null } },
        }),
      ),
      400,
      'validation_error',
    )
    expect(err.details).toEqual([{ path: 'route_pattern', message: 'value is not allowed' }])
    expect(err.message).not.toMatch(/insert|routes_route_pattern_check/i)
  })
})
