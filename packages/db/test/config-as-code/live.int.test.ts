import { describe, expect, it } from 'vitest'
import { readLiveConfig } from '../../src/config-as-code/live'
import { planConfig } from '../../src/config-as-code/plan'
import { serializeConfig } from '../../src/config-as-code/serialize'
import { parseConfigText } from '../../src/config-as-code/validate'
import { useAdminTestContext } from '../admin-support'

const actor = { actor: 'config-test', actorType: 'cli' as const }
const t = useAdminTestContext()

describe('readLiveConfig', () => {
  it('reads every entity by name, current credentials only, and no secret material', async () => {
    const route = await t.ops.routes.create(actor, {
      route_pattern: '/orders/*',
      domain: 'api.example.com',
      service_name: 'orders',
      methods: { POST: { auth_required: true, auth_type: 'hmac' }, GET: { auth_required: true, auth_type: 'api_key' } },
    })
    const billing = await t.ops.clients.create(actor, { client_name: 'billing', api_key: true, shared_secret: true })
    await t.ops.permissions.grant(actor, {
      client_id: billing.client_id,
      route_id: route.route_id,
      allowed_methods: ['GET'],
    })
    await t.ops.rateLimits.set(actor, billing.client_id, { requests_per_minute: 100 })
    await t.ops.admins.add(actor, { email: 'ops@example.com' })
    // Rotated with a grace period: the old key keeps working for a while but is not the current one.
    const rotated = await t.ops.clients.rotate(actor, billing.client_id, { credential: 'api_key', grace_seconds: 3600 })

    const live = await readLiveConfig(t.handle.db)
    expect(live.duplicateClientNames).toEqual([])
    const client = live.document.clients[0]
    expect(client?.credentials.map((c) => c.kind)).toEqual(['api_key', 'shared_secret'])
    expect(client?.credentials[0]?.prefix).toBe(rotated.api_key?.slice(0, client?.credentials[0]?.prefix?.length))
    expect(live.document.permissions).toEqual([
      { client_name: 'billing', domain: 'api.example.com', route_pattern: '/orders/*', allowed_methods: ['GET'] },
    ])
    expect(live.document.rate_limits).toEqual([
      { client_name: 'billing', requests_per_minute: 100, requests_per_day: null },
    ])
    expect(live.document.console_admins).toEqual([{ email: 'ops@example.com' }])

    const text = serializeConfig(live.document)
    for (const secret of [billing.api_key, billing.shared_secret, rotated.api_key]) {
      expect(secret).toBeTruthy()
      expect(text).not.toContain(secret)
    }
    // What export writes is a valid file that plans no change against the same state.
    const parsed = parseConfigText(text)
    expect(parsed.ok).toBe(true)
    if (parsed.ok) expect(planConfig(live.document, parsed.document, { prune: true }).changes).toEqual([])
  })

  it('reports client names held by several clients', async () => {
    await t.ops.clients.create(actor, { client_name: 'twin', api_key: true })
    await t.ops.clients.create(actor, { client_name: 'twin', api_key: true })
    expect((await readLiveConfig(t.handle.db)).duplicateClientNames).toEqual(['twin'])
  })
})
