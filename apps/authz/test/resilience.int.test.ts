// authz keeps deciding when PostgreSQL goes away or its LISTEN connection is killed, reports degraded,
// reconnects, and resynchronises: changes committed during the outage show up once it is back.

import { type Relay, startRelay } from '@gatekeeper/testkit/relay'
import { Client } from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { loadAuthzConfig } from '../src/config'
import { startAuthz } from '../src/server'
import {
  ACTOR,
  captureLogs,
  createWorld,
  eventually,
  original,
  type RunningAuthz,
  runAuthz,
  uniqueHost,
  type World,
} from './harness'

let world: World
const cleanups: Array<() => Promise<void>> = []

beforeAll(async () => {
  world = await createWorld()
})
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})
afterAll(async () => {
  await world?.close()
})

/** A route, a client with a key and a grant; returns request headers that are allowed. */
async function allowedRequest() {
  const host = uniqueHost()
  const route = await world.admin.routes.create(ACTOR, {
    route_pattern: '/r/*',
    domain: host,
    service_name: 'r',
    methods: { GET: { auth_required: true, auth_type: 'api_key' } },
  })
  const client = await world.admin.clients.create(ACTOR, { client_name: `c-${host}`, api_key: true })
  await world.admin.permissions.grant(ACTOR, {
    client_id: client.client_id,
    route_id: route.route_id,
    allowed_methods: ['GET'],
  })
  const headers = original('GET', host, '/r/1', { Authorization: `Bearer ${client.api_key ?? ''}` })
  return { host, route, client, headers }
}

async function status(a: RunningAuthz, headers: Record<string, string>): Promise<string> {
  const res = await a.authz(headers)
  await res.arrayBuffer()
  return `${res.status} ${res.headers.get('x-auth-reason')}`
}

async function health(a: RunningAuthz): Promise<{ code: number; body: Record<string, unknown> }> {
  const res = await fetch(`${a.url}/health`)
  return { code: res.status, body: (await res.json()) as Record<string, unknown> }
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

async function reloads(a: RunningAuthz, trigger: string): Promise<number> {
  const text = await (await fetch(`${a.url}/metrics`)).text()
  const m = text.match(
    new RegExp(`gatekeeper_authz_snapshot_reloads_total\\{trigger="${trigger}",outcome="ok"\\} (\\d+)`),
  )
  return Number(m?.[1] ?? 0)
}

describe('the LISTEN connection is killed', () => {
  it('changes committed while it was gone are applied after the reconnect', async () => {
    // A slow reconnect leaves a window in which the changes below are certainly missed by NOTIFY.
    const a = await runAuthz(world, { CONFIG_POLL_INTERVAL_MS: '60000' }, { backoff: { baseMs: 600, capMs: 800 } })
    cleanups.push(() => a.server.close())
    const { client, headers, host, route } = await allowedRequest()
    await eventually(async () => (await status(a, headers)) === '200 authenticated', 1000)

    const [pid] = await listenerPids()
    expect(pid).toBeDefined()
    await withAdminClient((c) => c.query('SELECT pg_terminate_backend($1)', [pid]))
    await eventually(async () => (await health(a)).body.postgres === 'down', 1000)

    // Committed during the outage: NOTIFY goes to nobody.
    await world.admin.clients.update(ACTOR, client.client_id, { status: 'suspended' })
    const other = await world.admin.routes.create(ACTOR, {
      route_pattern: '/new/*',
      domain: host,
      service_name: 'new',
      methods: { GET: { auth_required: false, auth_type: null } },
    })
    expect((await health(a)).code).toBe(200) // degraded, still deciding
    expect(await status(a, headers)).toBe('200 authenticated') // the last snapshot, until the resync

    await eventually(async () => (await status(a, headers)) === '403 client_suspended', 5000)
    expect(await status(a, original('GET', host, '/new/x'))).toBe('200 no_auth_required')
    expect(await reloads(a, 'behind')).toBe(1)
    const [newPid] = await listenerPids()
    expect(newPid).toBeDefined()
    expect(newPid).not.toBe(pid)
    expect((await health(a)).body).toMatchObject({ status: 'ok', postgres: 'up' })

    // And NOTIFY works again on the new connection.
    await world.admin.routes.remove(ACTOR, other.route_id)
    await eventually(async () => (await status(a, original('GET', host, '/new/x'))) === '403 no_route_match', 1000)
    expect(route.route_id).toBeDefined()
  })
})

describe('PostgreSQL becomes unreachable', () => {
  let proxy: Relay

  async function behindProxy(env: Record<string, string> = {}) {
    proxy = await startRelay({ port: Number(new URL(world.db.url).port || 5432) })
    cleanups.push(() => proxy.close())
    const url = new URL(world.db.url)
    url.host = `127.0.0.1:${proxy.port}`
    const a = await runAuthz(world, { CONFIG_POLL_INTERVAL_MS: '200', ...env }, { databaseUrl: url.toString() })
    cleanups.push(() => a.server.close(500))
    return a
  }

  it('refused connections: decides from its snapshot, reports degraded, recovers and resyncs', async () => {
    const a = await behindProxy()
    const { client, headers } = await allowedRequest()
    await eventually(async () => (await status(a, headers)) === '200 authenticated', 1000)

    await proxy.cut()
    await eventually(async () => (await health(a)).body.status === 'degraded', 2000)
    const during = await health(a)
    expect(during.code).toBe(200)
    expect(during.body).toMatchObject({ ready: true, postgres: 'down', snapshot: { loaded: true } })
    for (let i = 0; i < 20; i++) expect(await status(a, headers)).toBe('200 authenticated')

    // The database itself is fine; only authz cannot reach it. Change something meanwhile.
    await world.admin.clients.update(ACTOR, client.client_id, { status: 'revoked' })
    await new Promise((r) => setTimeout(r, 500))
    expect(await status(a, headers)).toBe('200 authenticated')

    await proxy.restore()
    await eventually(async () => (await status(a, headers)) === '403 client_revoked', 5000)
    await eventually(async () => (await health(a)).body.status === 'ok', 2000)
    const lines = a.logs.lines.filter(
      (l) => l.msg === 'config listener lost: deciding from the last snapshot, reconnecting',
    )
    expect(lines).toHaveLength(1) // one line per outage, not one per retry
  })

  it('a silent partition (nothing answers) is noticed by the version check and healed the same way', async () => {
    const a = await behindProxy()
    const { client, headers } = await allowedRequest()
    await eventually(async () => (await status(a, headers)) === '200 authenticated', 1000)

    proxy.partition()
    // The poll's one-row read on the LISTEN connection times out (3 s): the connection is dropped as dead.
    await eventually(async () => (await health(a)).body.postgres === 'down', 8000, 100)
    expect(await status(a, headers)).toBe('200 authenticated')
    await world.admin.clients.update(ACTOR, client.client_id, { status: 'suspended' })

    await proxy.restore()
    await eventually(async () => (await status(a, headers)) === '403 client_suspended', 8000)
    await eventually(async () => (await health(a)).body.postgres === 'up', 3000)
  })

  it('started while the database is unreachable: 503 not_ready until the first snapshot loads', async () => {
    proxy = await startRelay({ port: Number(new URL(world.db.url).port || 5432) })
    cleanups.push(() => proxy.close())
    const url = new URL(world.db.url)
    url.host = `127.0.0.1:${proxy.port}`
    const proxyUrl = url.toString()
    await proxy.cut()
    const server = await startAuthz(
      loadAuthzConfig({
        DATABASE_URL: proxyUrl,
        GATEKEEPER_MASTER_KEY: world.masterKey,
        AUTHZ_PORT: '0',
        AUTHZ_HOST: '127.0.0.1',
      }),
      { logDestination: captureLogs().destination, backoff: { baseMs: 50, capMs: 200 } },
    )
    cleanups.push(() => server.close(500))
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
