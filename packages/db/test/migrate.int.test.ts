import { PGlite } from '@electric-sql/pglite'
import { createTestDatabase, type TestDatabase } from '@gatekeeper/testkit/postgres'
import { Client } from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { runMigrations } from '../src/migrate'
import { pruneUsage, writeLastUsed, writeUsage } from '../src/usage'

const TABLES = [
  'admin_audit_log',
  'admin_tokens',
  'client_credentials',
  'client_permissions',
  'client_usage',
  'clients',
  'config_change_sets',
  'config_state',
  'console_admins',
  'local_sign_in_codes',
  'rate_limits',
  'routes',
]

const listTables = `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`
const listTriggers = `SELECT DISTINCT event_object_table AS t FROM information_schema.triggers ORDER BY 1`

async function query<T>(url: string, text: string): Promise<T[]> {
  const client = new Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query(text)).rows
  } finally {
    await client.end()
  }
}

describe('runMigrations', () => {
  let testDb: TestDatabase | undefined
  afterEach(async () => {
    await testDb?.drop()
    testDb = undefined
  })

  it('builds the schema, triggers and config_state row on an empty Postgres', async () => {
    testDb = await createTestDatabase()
    const tables = await query<{ table_name: string }>(testDb.url, listTables)
    expect(tables.map((r) => r.table_name)).toEqual(TABLES)
    const triggered = await query<{ t: string }>(testDb.url, listTriggers)
    expect(triggered.map((r) => r.t)).toEqual([
      'client_credentials',
      'client_permissions',
      'clients',
      'rate_limits',
      'routes',
    ])
    expect(await query(testDb.url, 'SELECT id, version FROM config_state')).toEqual([{ id: 1, version: '0' }])
  })

  it('lets replicas that start together migrate the same database', async () => {
    testDb = await createTestDatabase({ migrate: false })
    const url = testDb.url
    await Promise.all([runMigrations({ url }), runMigrations({ url }), runMigrations({ url })])
    const applied = await query<{ n: string }>(url, 'SELECT count(*) AS n FROM drizzle.__drizzle_migrations')
    expect(Number(applied[0]?.n)).toBeGreaterThanOrEqual(2)
    const tables = await query<{ table_name: string }>(url, listTables)
    expect(tables.map((r) => r.table_name)).toEqual(TABLES)
    // Running again is a no-op.
    await runMigrations({ url })
    expect(await query(url, 'SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations')).toEqual(
      applied.map((r) => ({ n: Number(r.n) })),
    )
  })

  it('applies to a fresh in-memory PGlite', { timeout: 60_000 }, async () => {
    const pglite = new PGlite()
    try {
      await runMigrations({ pglite })
      const tables = await pglite.query<{ table_name: string }>(listTables)
      expect(tables.rows.map((r) => r.table_name)).toEqual(TABLES)
      const state = await pglite.query<{ version: number }>('SELECT version::int AS version FROM config_state')
      expect(state.rows).toEqual([{ version: 0 }])
      await pglite.query(
        `INSERT INTO routes (route_pattern, domain, service_name, methods) VALUES ('/a/*', 'api.example.com', 'svc', '{"GET": {"auth_required": false, "auth_type": null}}')`,
      )
      const after = await pglite.query<{ version: number }>('SELECT version::int AS version FROM config_state')
      expect(after.rows).toEqual([{ version: 1 }])
      // What authz writes (the embedded default runs the same statements): last use without a config change,
      // additive usage rows.
      const client = await pglite.query<{ id: string }>(`INSERT INTO clients (client_name) VALUES ('c') RETURNING id`)
      const clientId = client.rows[0]?.id ?? ''
      const cred = await pglite.query<{ id: string }>(
        `INSERT INTO client_credentials (client_id, kind, api_key_digest, api_key_prefix, api_key_last4)
         VALUES ($1, 'api_key', repeat('a', 64), 'gk_Ab', 'wxyz') RETURNING id`,
        [clientId],
      )
      const before = await pglite.query<{ version: number }>('SELECT version::int AS version FROM config_state')
      await writeLastUsed(pglite, [{ credentialId: cred.rows[0]?.id ?? '', atMs: Date.UTC(2026, 0, 1) }])
      const hour = Math.floor(Date.now() / 3_600_000) * 3600
      await writeUsage(pglite, [{ clientId, hour, outcome: 'allowed', reason: '', n: 2 }])
      await writeUsage(pglite, [{ clientId, hour, outcome: 'allowed', reason: '', n: 3 }])
      expect(await pruneUsage(pglite, 30)).toBe(0)
      const used = await pglite.query<{ n: number; at: number }>(
        `SELECT (SELECT n::int FROM client_usage) AS n,
                (SELECT extract(epoch from last_used_at)::int FROM client_credentials) AS at`,
      )
      expect(used.rows).toEqual([{ n: 5, at: Date.UTC(2026, 0, 1) / 1000 }])
      const unchanged = await pglite.query<{ version: number }>('SELECT version::int AS version FROM config_state')
      expect(unchanged.rows).toEqual(before.rows)
    } finally {
      await pglite.close()
    }
  })
})
