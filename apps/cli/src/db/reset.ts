import type { Pool } from 'pg'
import { expectedSchema } from './expectations'

/**
 * Drops everything Gatekeeper's migrations created (its tables, functions and the migration journal),
 * leaving anything else in the database alone, so the next migrate starts from nothing.
 */
export async function dropGatekeeperObjects(pool: Pool, migrationsFolder: string): Promise<void> {
  const expected = expectedSchema(migrationsFolder)
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    const tables = [...expected.tables.keys()].map((t) => `"${t}"`).join(', ')
    await client.query(`DROP TABLE IF EXISTS ${tables} CASCADE`)
    for (const fn of expected.functions) await client.query(`DROP FUNCTION IF EXISTS "${fn}" CASCADE`)
    await client.query('DROP SCHEMA IF EXISTS drizzle CASCADE')
    await client.query('COMMIT')
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw err
  } finally {
    client.release()
  }
}

/** How many migrations are recorded as applied (0 when none ever ran). */
export async function appliedMigrationCount(pool: Pool): Promise<number> {
  const exists = await pool.query<{ t: string | null }>(`SELECT to_regclass('drizzle.__drizzle_migrations')::text AS t`)
  if (exists.rows[0]?.t == null) return 0
  const { rows } = await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM drizzle.__drizzle_migrations')
  return Number(rows[0]?.n ?? 0)
}
