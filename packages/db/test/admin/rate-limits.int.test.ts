import { rateLimitWireSchema } from '@gatekeeper/models'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { rateLimits } from '../../src/schema'
import { actor, expectApiError, KEY_ORDER, keysOf, useAdminTestContext } from '../admin-support'

const ctx = useAdminTestContext()

const strictLimit = rateLimitWireSchema.strict()

describe('rate limits', () => {
  it('sets, updates and reads a limit in the wire shape, auditing each change', async () => {
    const client = await ctx.newClient()
    const who = actor()
    const set = await ctx.ops.rateLimits.set(who, client.client_id, { requests_per_day: 1000 })
    expect(strictLimit.parse(set)).toEqual(set)
    expect(keysOf(set)).toEqual(KEY_ORDER.rateLimit)
    expect(set).toMatchObject({
      client_id: client.client_id,
      client_name: client.client_name,
      requests_per_day: 1000,
      requests_per_minute: null,
    })
    expect((await ctx.auditRows(client.client_id))[0]).toMatchObject({
      action: 'rate_limit.set',
      entityType: 'rate_limit',
      actor: who.actor,
      before: null,
      after: set,
    })

    // An omitted window keeps its value; a given one changes.
    const both = await ctx.ops.rateLimits.set(actor(), client.client_id, { requests_per_minute: 10 })
    expect(both).toMatchObject({ requests_per_day: 1000, requests_per_minute: 10, created_at: set.created_at })
    // null makes one window unlimited.
    const minuteOnly = await ctx.ops.rateLimits.set(actor(), client.client_id, {
      requests_per_day: null,
      requests_per_minute: 20,
    })
    expect(minuteOnly).toMatchObject({ requests_per_day: null, requests_per_minute: 20 })
    expect((await ctx.auditRows(client.client_id))[0]).toMatchObject({ before: both, after: minuteOnly })
    expect(await ctx.ops.rateLimits.get(client.client_id)).toEqual(minuteOnly)

    const list = await ctx.ops.rateLimits.list()
    expect(list.find((l) => l.client_id === client.client_id)).toEqual(minuteOnly)
    for (const item of list) expect(keysOf(strictLimit.parse(item))).toEqual(KEY_ORDER.rateLimit)
  })

  it('validates the body: positive integers, at least one window limited', async () => {
    const client = await ctx.newClient()
    for (const body of [
      {},
      { requests_per_day: 0 },
      { requests_per_day: -5 },
      { requests_per_day: 1.5 },
      { requests_per_day: '100' },
      { requests_per_day: null, requests_per_minute: null },
    ]) {
      await expectApiError(ctx.ops.rateLimits.set(actor(), client.client_id, body), 400, 'validation_error')
    }
    expect(await ctx.handle.db.select().from(rateLimits).where(eq(rateLimits.clientId, client.client_id))).toEqual([])
    expect(await ctx.auditRows(client.client_id)).toHaveLength(1) // only client.create
  })

  it('404s an unknown client, and a client without limits', async () => {
    const missing = '00000000-0000-4000-8000-000000000004'
    const noClient = await expectApiError(
      ctx.ops.rateLimits.set(actor(), missing, { requests_per_day: 5 }),
      404,
      'not_found',
    )
    expect(noClient.message).toBe('client not found')
    await expectApiError(ctx.ops.rateLimits.get(missing), 404)
    await expectApiError(ctx.ops.rateLimits.clear(actor(), missing), 404)
    const client = await ctx.newClient()
    const none = await expectApiError(ctx.ops.rateLimits.get(client.client_id), 404)
    expect(none.message).toBe('rate_limit not found')
    await expectApiError(ctx.ops.rateLimits.clear(actor(), client.client_id), 404)
  })

  it('clears a limit', async () => {
    const client = await ctx.newClient()
    const set = await ctx.ops.rateLimits.set(actor(), client.client_id, { requests_per_day: 7 })
    const who = actor()
    expect(await ctx.ops.rateLimits.clear(who, client.client_id)).toEqual(set)
    await expectApiError(ctx.ops.rateLimits.get(client.client_id), 404)
    expect((await ctx.auditRows(client.client_id))[0]).toMatchObject({
      action: 'rate_limit.clear',
      actor: who.actor,
      before: set,
      after: null,
    })
  })
})
