// authz keeps deciding when PostgreSQL goes away or its LISTEN connection is killed, reports degraded,
// reconnects, and resynchronises: changes committed during the outage show up once it is back.

import { type Relay, startRelay } from '@gatekeeper/testkit/relay'
import { Client } from 'pg'
import { describe, expect, it, onTestFinished } from 'vitest'
import { loadAuthzConfig } from '../src/config'
import { startAuthz } from '../src/server'
import {
  ACTOR,
  API_KEY,
  type AuthzClient,
  authzEnv,
  bearer,
  captureLogs,
  eventually,
  original,
  publicRoute,
  routeWithClient,
  runAuthz,
  useWorld,
} from './harness'

// What a test starts it stops with onTestFinished: vitest runs those last-registered first (authz before its relay).
const world = useWorld()

/** A route, a client with a key and a grant; returns request headers that are allowed. */
async function allowedRequest() {
  const { host, route, client } = await routeWithClient(
    world.admin,
    { route_pattern: '/r/*', service_name: 'r', methods: { GET: API_KEY } },
    (host) => ({ client_name: `c-${host}`, api_key: true }),
  )
  const headers = original('GET', host, '/r/1', bearer(client))
  return { host, route, client, headers }
}

async function withAdminClient<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: world.db.url })
  await c.connect()
  try {
    return await fn(c)
  } finally {
    await c.end()
  }
}

function listenerPids(): Promise<number[]> {
  return withAdminClient(async (c) => {
    const r = await c.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = $2',
      ['gatekeeper-authz-listen', world.db.name],
    )
    return r.rows.map((row) => row.pid)
  })
}

async function reloads(a: AuthzClient, trigger: string): Promise<number> {
  const text = await a.metrics()
  const m = text.match(
    new RegExp(`gatekeeper_authz_snapshot_reloads_total\\{trigger="${trigger}",outcome="ok"\\} (\\d+)`),
  )
  return Number(m?.[1] ?? 0)
}

describe('the LISTEN connection is killed', () => {
  it('changes committed while it was gone are applied after the reconnect', async () => {
    // A slow reconnect leaves a window in which the changes below are certainly missed by NOTIFY.
    const a = await runAuthz(world, { CONFIG_POLL_INTERVAL_MS: '60000' }, { backoff: { baseMs: 600, capMs: 800 } })
    onTestFinished(() => a.server.close())
    const { client, headers, host, route } = await allowedRequest()
    await eventually(async () => (await a.decision(headers)) === '200 authenticated', 1000)

    const [pid] = await listenerPids()
    expect(pid).toBeDefined()
    await withAdminClient((c) => c.query('SELECT pg_terminate_backend($1)', [pid]))
    await eventually(async () => (await a.health()).body.postgres === 'down', 1000)

    // Committed during the outage: NOTIFY goes to nobody.
    await world.admin.clients.update(ACTOR, client.client_id, { status: 'suspended' })
    const other = await publicRoute(world.admin, '/new/*', 'new', host)
    expect((await a.health()).code).toBe(200) // degraded, still deciding
    expect(await a.decision(headers)).toBe('200 authenticated') // the last snapshot, until the resync

    await eventually(async () => (await a.decision(headers)) === '403 client_suspended', 5000)
    expect(await a.decision(original('GET', host, '/new/x'))).toBe('200 no_auth_required')
    expect(await reloads(a, 'behind')).toBe(1)
    const [newPid] = await listenerPids()
    expect(newPid).toBeDefined()
    expect(newPid).not.toBe(pid)
    expect((await a.health()).body).toMatchObject({ status: 'ok', postgres: 'up' })

    // And NOTIFY works again on the new connection.
    await world.admin.routes.remove(ACTOR, other.route_id)
    await eventually(async () => (await a.decision(original('GET', host, '/new/x'))) === '403 no_route_match', 1000)
    expect(route.route_id).toBeDefined()
  })
})

describe('PostgreSQL becomes unreachable', () => {
  let proxy: Relay

  /** A relay to the database, closed after the test; returns the database URL through it. */
  async function startProxy(): Promise<string> {
    proxy = await startRelay({ port: Number(new URL(world.db.url).port || 5432) })
    onTestFinished(() => proxy.close())
    const url = new URL(world.db.url)
    url.host = `127.0.0.1:${proxy.port}`
    return url.toString()
  }

  async function behindProxy(env: Record<string, string> = {}) {
    const databaseUrl = await startProxy()
    const a = await runAuthz(world, { CONFIG_POLL_INTERVAL_MS: '200', ...env }, { databaseUrl })
    onTestFinished(() => a.server.close(500))
    return a
  }

  it('refused connections: decides from its snapshot, reports degraded, recovers and resyncs', async () => {
    const a = await behindProxy()
    const { client, headers } = await allowedRequest()
    await eventually(async () => (await a.decision(headers)) === '200 authenticated', 1000)

    await proxy.cut()
    await eventually(async () => (await a.health()).body.status === 'degraded', 2000)
    const during = await a.health()
    expect(during.code).toBe(200)
    expect(during.body).toMatchObject({ ready: true, postgres: 'down', snapshot: { loaded: true } })
    for (let i = 0; i < 20; i++) expect(await a.decision(headers)).toBe('200 authenticated')

    // The database itself is fine; only authz cannot reach it. Change something meanwhile.
    await world.admin.clients.update(ACTOR, client.client_id, { status: 'revoked' })
    await new Promise((r) => setTimeout(r, 500))
    expect(await a.decision(headers)).toBe('200 authenticated')

    await proxy.restore()
    await eventually(async () => (await a.decision(headers)) === '403 client_revoked', 5000)
    await eventually(async () => (await a.health()).body.status === 'ok', 2000)
    const lines = a.logs.lines.filter(
      (l) => l.msg === 'config listener lost: deciding from the last snapshot, reconnecting',
    )
    expect(lines).toHaveLength(1) // one line per outage, not one per retry
  })

  it('a silent partition (nothing answers) is noticed by the version check and healed the same way', async () => {
    const a = await behindProxy()
    const { client, headers } = await allowedRequest()
    await eventually(async () => (await a.decision(headers)) === '200 authenticated', 1000)

    proxy.partition()
    // The poll's one-row read on the LISTEN connection times out (3 s): the connection is dropped as dead.
    await eventually(async () => (await a.health()).body.postgres === 'down', 8000, 100)
    expect(await a.decision(headers)).toBe('200 authenticated')
    await world.admin.clients.update(ACTOR, client.client_id, { status: 'suspended' })

    await proxy.restore()
    await eventually(async () => (await a.decision(headers)) === '403 client_suspended', 8000)
    await eventually(async () => (await a.health()).body.postgres === 'up', 3000)
  })

  it('started while the database is unreachable: 503 not_ready until the first snapshot loads', async () => {
    const proxyUrl = await startProxy()
    await proxy.cut()
    // Started directly: runAuthz waits for the first snapshot, which cannot load yet.
    const server = await startAuthz(loadAuthzConfig(authzEnv(world, { DATABASE_URL: proxyUrl })), {
      logDestination: captureLogs().destination,
      backoff: { baseMs: 50, capMs: 200 },
    })
    onTestFinished(() => server.close(500))
    const base = `http://127.0.0.1:${server.port}`
    const res = await fetch(`${base}/authz`, { headers: original('GET', 'x.example.com', '/') })
    expect(res.status).toBe(503)
    expect(res.headers.get('x-auth-reason')).toBe('not_ready')
    const h = await fetch(`${base}/health`)
    expect(h.status).toBe(503)
    expect(await h.json()).toMatchObject({ status: 'starting', ready: false, postgres: 'down' })

    await proxy.restore()
    await eventually(async () => (await fetch(`${base}/health`)).status === 200, 5000)
    const after = await fetch(`${base}/authz`, { headers: original('GET', 'x.example.com', '/') })
    expect(after.status).toBe(403)
  })
})
