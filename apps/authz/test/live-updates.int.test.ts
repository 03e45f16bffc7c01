// A running authz follows changes committed by another connection (the admin operations console-api and the
// CLI use) within a second, by NOTIFY alone: the version poll is set to a minute here so it cannot help.

import { afterAll, describe, expect, it } from 'vitest'
import { ACTOR, decisionOf, eventually, original, uniqueHost, useAuthz } from './harness'

// Usage tracking off: its flush opens the fallback pool's connection for a moment once a minute, which would hide
// what the last test checks (that configuration traffic needs no connection besides the LISTEN one).
const { world, authz } = useAuthz({ CONFIG_POLL_INTERVAL_MS: '60000', AUTHZ_USAGE_TRACKING: 'false' })
const latencies: Record<string, number> = {}
const decision = (headers: Record<string, string>) => decisionOf(authz, headers)

afterAll(() => {
  console.info('authz live-update latencies (ms):', latencies)
})

/** Waits (at most 1 s) for the decision on `headers` to become `expected`; records how long it took. */
async function becomes(label: string, headers: Record<string, string>, expected: string): Promise<void> {
  let last = ''
  try {
    latencies[label] = Math.round(
      await eventually(async () => {
        last = await decision(headers)
        return last === expected
      }, 1000),
    )
  } catch {
    throw new Error(`${label}: still "${last}" after 1 s, expected "${expected}"`)
  }
}

describe('live configuration changes reach a running authz within 1 s', () => {
  it('routes, clients, credentials, permissions and status, each through the admin operations', async () => {
    const host = uniqueHost()
    const get = (extra: Record<string, string> = {}) => original('GET', host, '/v1/orders/7', extra)
    expect(await decision(get())).toBe('403 no_route_match')

    const route = await world.admin.routes.create(ACTOR, {
      route_pattern: '/v1/orders/*',
      domain: host,
      service_name: 'orders',
      methods: { GET: { auth_required: true, auth_type: 'api_key' } },
    })
    await becomes('route created', get(), '401 missing_credentials')

    const created = await world.admin.clients.create(ACTOR, { client_name: 'live-client', api_key: true })
    const key = created.api_key ?? ''
    const withKey = get({ Authorization: `Bearer ${key}` })
    await becomes('credential created', withKey, '403 no_permission')

    const granted = await world.admin.permissions.grant(ACTOR, {
      client_id: created.client_id,
      route_id: route.route_id,
      allowed_methods: ['GET'],
    })
    await becomes('permission granted', withKey, '200 authenticated')

    await world.admin.clients.update(ACTOR, created.client_id, { status: 'suspended' })
    await becomes('client suspended', withKey, '403 client_suspended')
    await world.admin.clients.update(ACTOR, created.client_id, { status: 'active' })
    await becomes('client reactivated', withKey, '200 authenticated')

    const rotated = await world.admin.clients.rotate(ACTOR, created.client_id, { credential: 'api_key' })
    const newKey = rotated.api_key ?? ''
    await becomes('rotated key works', get({ Authorization: `Bearer ${newKey}` }), '200 authenticated')
    await becomes('old key refused', withKey, '401 invalid_credentials')

    await world.admin.routes.update(ACTOR, route.route_id, {
      methods: { GET: { auth_required: false, auth_type: null } },
    })
    await becomes('route made public', get(), '200 no_auth_required')
    await world.admin.routes.update(ACTOR, route.route_id, {
      methods: { GET: { auth_required: true, auth_type: 'api_key' } },
    })
    await becomes('route protected again', get(), '401 missing_credentials')

    await world.admin.permissions.revoke(ACTOR, granted.permission.permission_id)
    await becomes('permission revoked', get({ Authorization: `Bearer ${newKey}` }), '403 no_permission')

    await world.admin.routes.remove(ACTOR, route.route_id)
    await becomes('route removed', get({ Authorization: `Bearer ${newKey}` }), '403 no_route_match')

    // Everything above came by notification: one full load at start, none since.
    const metrics = await (await fetch(`${authz.url}/metrics`)).text()
    expect(metrics).toMatch(/gatekeeper_authz_snapshot_reloads_total\{trigger="start",outcome="ok"\} 1/)
    expect(metrics).not.toMatch(/trigger="(gap|behind|error)",outcome="ok"/)
    expect(metrics).toMatch(/gatekeeper_authz_notifications_total\{result="applied"\} \d+/)
  })

  it('a rotation with a grace period keeps the old key working next to the new one', async () => {
    const host = uniqueHost()
    const route = await world.admin.routes.create(ACTOR, {
      route_pattern: '/v2/*',
      domain: host,
      service_name: 'v2',
      methods: { POST: { auth_required: true, auth_type: 'api_key' } },
    })
    const created = await world.admin.clients.create(ACTOR, { client_name: 'grace-client', api_key: true })
    await world.admin.permissions.grant(ACTOR, {
      client_id: created.client_id,
      route_id: route.route_id,
      allowed_methods: ['POST'],
    })
    const oldKey = original('POST', host, '/v2/x', { Authorization: `Bearer ${created.api_key ?? ''}` })
    await becomes('grace: initial key', oldKey, '200 authenticated')
    const rotated = await world.admin.clients.rotate(ACTOR, created.client_id, {
      credential: 'api_key',
      grace_seconds: 3600,
    })
    const newKey = original('POST', host, '/v2/x', { Authorization: `Bearer ${rotated.api_key ?? ''}` })
    await becomes('grace: new key', newKey, '200 authenticated')
    expect(await decision(oldKey)).toBe('200 authenticated')
  })

  it('a client deleted with everything it had is refused at once', async () => {
    const host = uniqueHost()
    const route = await world.admin.routes.create(ACTOR, {
      route_pattern: '/v3/*',
      domain: host,
      service_name: 'v3',
      methods: { GET: { auth_required: true, auth_type: 'api_key' } },
    })
    const created = await world.admin.clients.create(ACTOR, { client_name: 'doomed-client', api_key: true })
    await world.admin.permissions.grant(ACTOR, {
      client_id: created.client_id,
      route_id: route.route_id,
      allowed_methods: ['GET'],
    })
    const headers = original('GET', host, '/v3/a', { Authorization: `Bearer ${created.api_key ?? ''}` })
    await becomes('delete: before', headers, '200 authenticated')
    await world.admin.clients.remove(ACTOR, created.client_id)
    await becomes('client deleted', headers, '401 invalid_credentials')
  })

  it('after its load and changes, a replica holds one connection on the database: the LISTEN connection', async () => {
    const host = uniqueHost()
    const route = await world.admin.routes.create(ACTOR, {
      route_pattern: '/v4/*',
      domain: host,
      service_name: 'v4',
      methods: { GET: { auth_required: false, auth_type: null } },
    })
    await becomes('connections: route', original('GET', host, '/v4/a'), '200 no_auth_required')
    await world.admin.routes.update(ACTOR, route.route_id, { service_name: 'v4b' })
    await authz.server.manager.idle()
    // The full load at start and the row re-reads went through the LISTEN connection: no other was ever needed.
    const connections = async () => {
      const { rows } = await world.writer.pool.query<{ app: string }>(
        "SELECT application_name AS app FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'gatekeeper-authz%' ORDER BY 1",
      )
      return rows.map((r) => r.app)
    }
    expect(await connections()).toEqual(['gatekeeper-authz-listen'])
  })
})
