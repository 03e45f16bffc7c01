// A running authz follows changes committed by another connection (the admin operations console-api and the
// CLI use) within a second, by NOTIFY alone: the version poll is set to a minute here so it cannot help.

import { afterAll, describe, expect, it } from 'vitest'
import {
  ACTOR,
  API_KEY,
  bearer,
  createRoute,
  eventually,
  original,
  PUBLIC,
  publicRoute,
  routeWithClient,
  uniqueHost,
  useAuthz,
} from './harness'

// Usage tracking off: its flush opens the fallback pool's connection for a moment once a minute, which would hide
// what the last test checks (that configuration traffic needs no connection besides the LISTEN one).
const { world, authz } = useAuthz({ CONFIG_POLL_INTERVAL_MS: '60000', AUTHZ_USAGE_TRACKING: 'false' })
const latencies: Record<string, number> = {}
const decision = (headers: Record<string, string>) => authz.decision(headers)

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

/**
 * A route `<prefix>/*` on a fresh host with `method` on API keys and a client granted it; returns the client's
 * request, once it is let in.
 */
async function keyLetIn(label: string, method: 'GET' | 'POST', prefix: string, clientName: string) {
  const { host, client } = await routeWithClient(
    world.admin,
    { route_pattern: `${prefix}/*`, service_name: prefix.slice(1), methods: { [method]: API_KEY } },
    { client_name: clientName, api_key: true },
  )
  const request = original(method, host, `${prefix}/x`, bearer(client))
  await becomes(label, request, '200 authenticated')
  return { host, client, request }
}

describe('live configuration changes reach a running authz within 1 s', () => {
  it('routes, clients, credentials, permissions and status, each through the admin operations', async () => {
    const host = uniqueHost()
    const get = (extra: Record<string, string> = {}) => original('GET', host, '/v1/orders/7', extra)
    expect(await decision(get())).toBe('403 no_route_match')

    const route = await createRoute(world.admin, host, {
      route_pattern: '/v1/orders/*',
      service_name: 'orders',
      methods: { GET: API_KEY },
    })
    await becomes('route created', get(), '401 missing_credentials')

    const created = await world.admin.clients.create(ACTOR, { client_name: 'live-client', api_key: true })
    const withKey = get(bearer(created))
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
    const withNewKey = get(bearer(rotated))
    await becomes('rotated key works', withNewKey, '200 authenticated')
    await becomes('old key refused', withKey, '401 invalid_credentials')

    await world.admin.routes.update(ACTOR, route.route_id, { methods: { GET: PUBLIC } })
    await becomes('route made public', get(), '200 no_auth_required')
    await world.admin.routes.update(ACTOR, route.route_id, { methods: { GET: API_KEY } })
    await becomes('route protected again', get(), '401 missing_credentials')

    await world.admin.permissions.revoke(ACTOR, granted.permission.permission_id)
    await becomes('permission revoked', withNewKey, '403 no_permission')

    await world.admin.routes.remove(ACTOR, route.route_id)
    await becomes('route removed', withNewKey, '403 no_route_match')

    // Everything above came by notification: one full load at start, none since.
    const metrics = await authz.metrics()
    expect(metrics).toMatch(/gatekeeper_authz_snapshot_reloads_total\{trigger="start",outcome="ok"\} 1/)
    expect(metrics).not.toMatch(/trigger="(gap|behind|error)",outcome="ok"/)
    expect(metrics).toMatch(/gatekeeper_authz_notifications_total\{result="applied"\} \d+/)
  })

  it('a rotation with a grace period keeps the old key working next to the new one', async () => {
    const {
      host,
      client: created,
      request: oldKey,
    } = await keyLetIn('grace: initial key', 'POST', '/v2', 'grace-client')
    const rotated = await world.admin.clients.rotate(ACTOR, created.client_id, {
      credential: 'api_key',
      grace_seconds: 3600,
    })
    const newKey = original('POST', host, '/v2/x', bearer(rotated))
    await becomes('grace: new key', newKey, '200 authenticated')
    expect(await decision(oldKey)).toBe('200 authenticated')
  })

  it('a client deleted with everything it had is refused at once', async () => {
    const { client: created, request: headers } = await keyLetIn('delete: before', 'GET', '/v3', 'doomed-client')
    await world.admin.clients.remove(ACTOR, created.client_id)
    await becomes('client deleted', headers, '401 invalid_credentials')
  })

  it('after its load and changes, a replica holds one connection on the database: the LISTEN connection', async () => {
    const route = await publicRoute(world.admin, '/v4/*', 'v4')
    const host = route.domain
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
