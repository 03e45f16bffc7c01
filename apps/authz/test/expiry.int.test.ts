// An expiry set through the admin operations (real Postgres) takes effect in a running authz at that very
// second with no change to the database when the moment passes: the state authz decides on is the same object,
// at the same config version, before and after the refusal starts. The version poll is a minute here.

import { describe, expect, it } from 'vitest'
import {
  ACTOR,
  API_KEY,
  bearer,
  eventually,
  grantedClient,
  original,
  routeWithClient,
  runAuthz,
  useAuthz,
} from './harness'

const { world, authz } = useAuthz({ CONFIG_POLL_INTERVAL_MS: '60000' })
const decision = (headers: Record<string, string>) => authz.decision(headers)

describe('expiry in a running authz', () => {
  it('a credential and a client that expire while authz runs are refused from that second, without a reload', async () => {
    // A whole second (the wire's unit) at least 3 s away, so both clients are seen working first.
    const expirySecond = Math.floor(Date.now() / 1000) + 4
    const {
      host,
      route,
      client: keyExpiring,
    } = await routeWithClient(
      world.admin,
      { route_pattern: '/v1/*', service_name: 'svc', methods: { GET: API_KEY } },
      { client_name: 'key-expires', api_key: true, credentials_expire_at: expirySecond },
    )
    const clientExpiring = await grantedClient(
      world.admin,
      route.route_id,
      { client_name: 'client-expires', api_key: true, expires_at: expirySecond },
      ['GET'],
    )
    const asKey = original('GET', host, '/v1/x', bearer(keyExpiring))
    const asClient = original('GET', host, '/v1/x', bearer(clientExpiring))
    await eventually(
      async () => (await decision(asKey)) === '200 authenticated' && (await decision(asClient)) === '200 authenticated',
      1500,
    )

    const stateBefore = authz.server.manager.current()
    const healthBefore = authz.server.manager.health()
    const expiryMs = expirySecond * 1000
    expect(Date.now()).toBeLessThan(expiryMs - 500)

    // Poll across the moment; each answer is tagged with when its request started and ended.
    const seen: { start: number; end: number; key: string; client: string }[] = []
    while (Date.now() < expiryMs + 500) {
      const start = Date.now()
      const [key, client] = await Promise.all([decision(asKey), decision(asClient)])
      seen.push({ start, end: Date.now(), key, client })
      await new Promise((r) => setTimeout(r, 5))
    }
    const before = seen.filter((s) => s.end < expiryMs)
    const after = seen.filter((s) => s.start >= expiryMs)
    expect(before.length).toBeGreaterThan(10)
    expect(after.length).toBeGreaterThan(5)
    for (const s of before) expect([s.key, s.client]).toEqual(['200 authenticated', '200 authenticated'])
    for (const s of after) expect([s.key, s.client]).toEqual(['401 credential_expired', '401 client_expired'])
    // The first request started after the moment was already refused: no lag beyond a polling step or two on a busy machine.
    expect(after[0]?.start ?? Number.POSITIVE_INFINITY).toBeLessThan(expiryMs + 250)

    // Nothing was reloaded or applied: same state object, same version and load time.
    expect(authz.server.manager.current()).toBe(stateBefore)
    const healthAfter = authz.server.manager.health()
    expect(healthAfter.version).toBe(healthBefore.version)
    expect(healthAfter.loadedAt).toBe(healthBefore.loadedAt)

    // A second authz loading the full snapshot now carries both expiries too (the rows stay loaded, refused).
    const fresh = await runAuthz(world, { CONFIG_POLL_INTERVAL_MS: '60000' })
    try {
      const answers = await Promise.all([fresh.decision(asKey), fresh.decision(asClient)])
      expect(answers).toEqual(['401 credential_expired', '401 client_expired'])
    } finally {
      await fresh.server.close()
    }

    // Clearing the expiry through the admin operations lets the key back in (by NOTIFY).
    await world.admin.clients.update(ACTOR, keyExpiring.client_id, { api_key_expires_at: null })
    await world.admin.clients.update(ACTOR, clientExpiring.client_id, { expires_at: null })
    await eventually(async () => (await decision(asKey)) === '200 authenticated', 1000)
    await eventually(async () => (await decision(asClient)) === '200 authenticated', 1000)
  })
})
