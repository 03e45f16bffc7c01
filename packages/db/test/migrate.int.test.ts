import { PGlite } from '@electric-sql/pglite'
import { createTestDatabase, type TestDatabase } from '@gatekeeper/testkit/postgres'
import { Client } from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { runMigrations } from '../src/migrate'

const TABLES = [
  'admin_audit_log',
  'admin_tokens',
  'client_credentials',
  'client_permissions',
  'clients',
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
    } finally {
      await pglite.close()
    }
  })
})
