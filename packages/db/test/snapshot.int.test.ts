import { createTestDatabase, type TestDatabase } from '@gatekeeper/testkit/postgres'
import { count, eq, gt, isNull, or, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb, type DbHandle } from '../src/client'
import { type Client, clientCredentials, clientPermissions, clients, rateLimits, routes } from '../src/schema'
import { loadChangedRow, loadSnapshot, readConfigVersion, type SnapshotSink, streamSnapshot } from '../src/snapshot'
import {
  apiKeyCredentialFixture,
  clientFixture,
  permissionFixture,
  rateLimitFixture,
  routeFixture,
  sharedSecretCredentialFixture,
} from './fixtures'
import { useDb } from './use-db'

const { handle } = useDb({ max: 4 })

function withoutTimestamps<T extends { createdAt: Date; updatedAt: Date }>(row: T): Omit<T, 'createdAt' | 'updatedAt'> {
  const { createdAt: _c, updatedAt: _u, ...rest } = row
  return rest
}

/** A client as authz reads it: also without the usage history a rotation keeps on the row. */
function clientAsRead(row: Client) {
  const { retiredLastUsedAt: _r, ...rest } = withoutTimestamps(row)
  return rest
}

async function seedClient() {
  const { db } = handle
  const [client] = await db.insert(clients).values(clientFixture()).returning()
  const [route] = await db.insert(routes).values(routeFixture()).returning()
  if (client === undefined || route === undefined) throw new Error('seed failed')
  const hour = 3_600_000
  const [expired, inGrace, current, secret] = await db
    .insert(clientCredentials)
    .values([
      apiKeyCredentialFixture(client.id, { expiresAt: new Date(Date.now() - hour) }),
      apiKeyCredentialFixture(client.id, { expiresAt: new Date(Date.now() + hour) }),
      apiKeyCredentialFixture(client.id),
      sharedSecretCredentialFixture(client.id),
    ])
    .returning()
  if (expired === undefined || inGrace === undefined || current === undefined || secret === undefined) {
    throw new Error('seed failed')
  }
  const [permission] = await db.insert(clientPermissions).values(permissionFixture(client.id, route.id)).returning()
  await db.insert(rateLimits).values(rateLimitFixture(client.id, { requestsPerMinute: 10 }))
  if (permission === undefined) throw new Error('seed failed')
  return { client, route, expired, inGrace, current, secret, permission }
}

describe('loadSnapshot', () => {
  it('returns every config row, without expired credentials, at the current version', async () => {
    const seeded = await seedClient()
    const snapshot = await loadSnapshot(handle.db)

    expect(snapshot.version).toBe(await readConfigVersion(handle.db))
    expect(snapshot.version).toBeGreaterThan(0)
    expect(snapshot.loadedAt).toBeInstanceOf(Date)
    expect(snapshot.routes).toContainEqual(withoutTimestamps(seeded.route))
    expect(snapshot.clients).toContainEqual(clientAsRead(seeded.client))
    expect(snapshot.permissions).toContainEqual(withoutTimestamps(seeded.permission))
    expect(snapshot.rateLimits).toContainEqual(
      expect.objectContaining({ clientId: seeded.client.id, requestsPerDay: 1000, requestsPerMinute: 10 }),
    )
    const credentialIds = snapshot.credentials.map((c) => c.id)
    expect(credentialIds).toEqual(expect.arrayContaining([seeded.inGrace.id, seeded.current.id, seeded.secret.id]))
    expect(credentialIds).not.toContain(seeded.expired.id)
    expect(snapshot.credentials.find((c) => c.id === seeded.inGrace.id)?.expiresAt).toEqual(seeded.inGrace.expiresAt)
  })

  it('returns the same rows drizzle reads, minus created/updated timestamps', async () => {
    await seedClient()
    const { db } = handle
    const snapshot = await loadSnapshot(db)
    const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id))
    expect(byId(snapshot.routes)).toEqual(byId((await db.select().from(routes)).map(withoutTimestamps)))
    expect(byId(snapshot.clients)).toEqual(byId((await db.select().from(clients)).map(clientAsRead)))
    expect(byId(snapshot.permissions)).toEqual(byId((await db.select().from(clientPermissions)).map(withoutTimestamps)))
    const live = await db
      .select()
      .from(clientCredentials)
      .where(or(isNull(clientCredentials.expiresAt), gt(clientCredentials.expiresAt, sql`now()`)))
    expect(byId(snapshot.credentials)).toEqual(byId(live.map(({ createdAt: _, lastUsedAt: _l, ...rest }) => rest)))
    const limits = (await db.select().from(rateLimits)).map(withoutTimestamps)
    const byClient = <T extends { clientId: string }>(rows: T[]) =>
      [...rows].sort((a, b) => a.clientId.localeCompare(b.clientId))
    expect(byClient(snapshot.rateLimits)).toEqual(byClient(limits))
  })

  it('accepts a pg Pool as well as a drizzle database', async () => {
    const fromPool = await loadSnapshot(handle.pool)
    const fromDb = await loadSnapshot(handle.db)
    expect(fromPool.version).toBe(fromDb.version)
    expect(fromPool.routes).toEqual(fromDb.routes)
  })

  it('reads the version and the tables from the same committed state while writers commit', async () => {
    const { db } = handle
    const base = await loadSnapshot(db)
    // Each committed insert adds one route and one version, so routes - version stays constant in any
    // consistent view; a snapshot mixing two states would break the equation.
    const offset = base.routes.length - base.version
    let writing = true
    const writer = (async () => {
      for (let i = 0; i < 150; i++) await db.insert(routes).values(routeFixture())
      writing = false
    })()
    let checked = 0
    while (writing) {
      const snapshot = await loadSnapshot(db)
      expect(snapshot.routes.length - snapshot.version).toBe(offset)
      checked++
    }
    await writer
    expect(checked).toBeGreaterThan(3)
  })
})

describe('streamSnapshot', () => {
  it('hands over the rows loadSnapshot returns, version first, table by table in batches', async () => {
    await seedClient()
    await seedClient()
    const events: string[] = []
    const streamed: Record<string, unknown[]> = {}
    const take = (table: string) => (rows: unknown[]) => {
      expect(rows.length).toBeLessThanOrEqual(3)
      if (events.at(-1) !== table) events.push(table)
      streamed[table] = [...(streamed[table] ?? []), ...rows]
    }
    const sink: SnapshotSink = {
      version: (v) => events.push(`version ${v}`),
      routes: take('routes'),
      clients: take('clients'),
      client_credentials: take('client_credentials'),
      client_permissions: take('client_permissions'),
      rate_limits: take('rate_limits'),
    }
    const at = await streamSnapshot(handle.pool, sink, { batchSize: 3 })
    const loaded = await loadSnapshot(handle.db)
    expect(at.version).toBe(loaded.version)
    expect(events).toEqual([
      `version ${loaded.version}`,
      'routes',
      'clients',
      'client_credentials',
      'client_permissions',
      'rate_limits',
    ])
    const byId = (rows: unknown[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
    expect(byId(streamed.routes ?? [])).toEqual(byId(loaded.routes))
    expect(byId(streamed.clients ?? [])).toEqual(byId(loaded.clients))
    expect(byId(streamed.client_credentials ?? [])).toEqual(byId(loaded.credentials))
    expect(byId(streamed.client_permissions ?? [])).toEqual(byId(loaded.permissions))
    expect(byId(streamed.rate_limits ?? [])).toEqual(byId(loaded.rateLimits))
  })
})

describe('loadChangedRow', () => {
  it('returns the current row, or null once deleted or expired', async () => {
    const { db } = handle
    const seeded = await seedClient()
    expect(await loadChangedRow(db, 'routes', seeded.route.id)).toEqual(withoutTimestamps(seeded.route))
    expect(await loadChangedRow(db, 'clients', seeded.client.id)).toEqual(clientAsRead(seeded.client))
    expect(await loadChangedRow(db, 'client_permissions', seeded.permission.id)).toEqual(
      withoutTimestamps(seeded.permission),
    )
    const { createdAt: _, lastUsedAt: _l, ...inGrace } = seeded.inGrace
    expect(await loadChangedRow(db, 'client_credentials', seeded.inGrace.id)).toEqual(inGrace)
    expect(await loadChangedRow(db, 'client_credentials', seeded.expired.id)).toBeNull()
    expect(await loadChangedRow(handle.pool, 'rate_limits', seeded.client.id)).toMatchObject({
      clientId: seeded.client.id,
      requestsPerMinute: 10,
    })

    await db.delete(clients).where(eq(clients.id, seeded.client.id))
    expect(await loadChangedRow(db, 'clients', seeded.client.id)).toBeNull()
    expect(await loadChangedRow(db, 'rate_limits', seeded.client.id)).toBeNull()
    expect(await loadChangedRow(db, 'client_permissions', seeded.permission.id)).toBeNull()
    expect(await loadChangedRow(db, 'routes', seeded.route.id)).toEqual(withoutTimestamps(seeded.route))
  })
})

describe('loadSnapshot at scale', () => {
  let big: TestDatabase
  let bigHandle: DbHandle

  beforeAll(async () => {
    big = await createTestDatabase()
    bigHandle = createDb(big.url, { max: 2 })
    // 10k routes, 100k clients each with an API key and a rate limit, 200k grants (2 per client).
    // Triggers off while seeding (the notify tests cover them; with them on this takes ~30 s here).
    const tables = ['routes', 'clients', 'client_credentials', 'client_permissions', 'rate_limits']
    await bigHandle.pool.query(`
      BEGIN;
      ${tables.map((t) => `ALTER TABLE ${t} DISABLE TRIGGER USER;`).join('\n')}
      INSERT INTO routes (route_pattern, domain, service_name, methods)
        SELECT '/svc-' || g || '/*', 'api.example.com', 'svc-' || g,
               '{"GET": {"auth_required": true, "auth_type": "api_key"}, "POST": {"auth_required": true, "auth_type": "hmac"}}'
        FROM generate_series(1, 10000) g;
      INSERT INTO clients (client_name) SELECT 'client-' || g FROM generate_series(1, 100000) g;
      INSERT INTO client_credentials (client_id, kind, api_key_digest, api_key_prefix, api_key_last4)
        SELECT id, 'api_key', encode(sha256(convert_to(id::text, 'UTF8')), 'hex'), 'gk_abcd', right(id::text, 4)
        FROM clients;
      INSERT INTO rate_limits (client_id, requests_per_day) SELECT id, 10000 FROM clients;
      CREATE TEMP TABLE r AS SELECT id, (row_number() OVER (ORDER BY id) - 1)::int AS n FROM routes;
      CREATE TEMP TABLE c AS SELECT id, (row_number() OVER (ORDER BY id) - 1)::int AS n FROM clients;
      INSERT INTO client_permissions (client_id, route_id, allowed_methods)
        SELECT c.id, r.id, ARRAY['GET', 'POST'] FROM c JOIN r ON r.n = c.n % 10000
        UNION ALL
        SELECT c.id, r.id, ARRAY['GET'] FROM c JOIN r ON r.n = (c.n + 5000) % 10000;
      ${tables.map((t) => `ALTER TABLE ${t} ENABLE TRIGGER USER;`).join('\n')}
      UPDATE config_state SET version = 410000 WHERE id = 1;
      COMMIT;
      ANALYZE;
    `)
  }, 180_000)

  afterAll(async () => {
    await bigHandle?.close()
    await big?.drop()
  })

  // What it loads, not how fast: the time (the 5 s target) is the benchmark's to show (docs/performance.md), where a
  // loaded machine cannot fail the build.
  it('loads 10k routes, 100k clients and 200k grants', { timeout: 60_000 }, async () => {
    const [{ n } = { n: 0 }] = await bigHandle.db.select({ n: count() }).from(clientPermissions)
    expect(n).toBe(200_000)
    const started = performance.now()
    const snapshot = await loadSnapshot(bigHandle.db)
    const ms = performance.now() - started
    console.info(`loadSnapshot at scale: ${Math.round(ms)} ms`)
    expect(snapshot.routes).toHaveLength(10_000)
    expect(snapshot.clients).toHaveLength(100_000)
    expect(snapshot.credentials).toHaveLength(100_000)
    expect(snapshot.rateLimits).toHaveLength(100_000)
    expect(snapshot.permissions).toHaveLength(200_000)
    expect(snapshot.version).toBe(410_000)
  })
})
