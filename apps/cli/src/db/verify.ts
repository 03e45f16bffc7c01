import { readMigrationFiles } from 'drizzle-orm/migrator'
import type { Pool } from 'pg'
import { expectedSchema } from './expectations'

export type Check = { name: string; ok: boolean; problems: string[] }

/**
 * Inspects a database the way `verify_schema.py` did for the original, against what the migrations
 * should have produced: every migration applied (and no unknown ones), every table with its columns,
 * the change-feed triggers enabled, the functions they call, and the config_state row.
 */
export async function verifyDatabase(pool: Pool, migrationsFolder: string): Promise<Check[]> {
  const expected = expectedSchema(migrationsFolder)
  return [
    await checkMigrations(pool, migrationsFolder),
    await checkTables(pool, expected.tables),
    await checkTriggers(pool, expected.triggers),
    await checkFunctions(pool, expected.functions),
    await checkConfigState(pool),
  ]
}

async function checkMigrations(pool: Pool, folder: string): Promise<Check> {
  const files = readMigrationFiles({ migrationsFolder: folder })
  const problems: string[] = []
  const exists = await pool.query<{ t: string | null }>(`SELECT to_regclass('drizzle.__drizzle_migrations')::text AS t`)
  if (exists.rows[0]?.t == null) {
    return { name: 'migrations', ok: false, problems: ['no migrations have been applied: run `gatekeeper db migrate`'] }
  }
  const applied = await pool.query<{ hash: string }>(
    'SELECT hash FROM drizzle.__drizzle_migrations ORDER BY created_at',
  )
  const appliedHashes = new Set(applied.rows.map((r) => r.hash))
  const known = new Set(files.map((f) => f.hash))
  const pending = files.filter((f) => !appliedHashes.has(f.hash)).length
  if (pending > 0) problems.push(`${pending} of ${files.length} migrations not applied: run \`gatekeeper db migrate\``)
  const unknown = applied.rows.filter((r) => !known.has(r.hash)).length
  if (unknown > 0)
    problems.push(`${unknown} applied migrations are not in this version of gatekeeper (newer, or edited)`)
  return { name: 'migrations', ok: problems.length === 0, problems }
}

async function checkTables(pool: Pool, tables: ReadonlyMap<string, ReadonlyArray<string>>): Promise<Check> {
  const { rows } = await pool.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = ANY($1)`,
    [[...tables.keys()]],
  )
  const present = new Map<string, Set<string>>()
  for (const r of rows) {
    const cols = present.get(r.table_name) ?? new Set<string>()
    cols.add(r.column_name)
    present.set(r.table_name, cols)
  }
  const problems: string[] = []
  for (const [table, columns] of tables) {
    const cols = present.get(table)
    if (cols === undefined) {
      problems.push(`table ${table} is missing`)
      continue
    }
    const missing = columns.filter((c) => !cols.has(c))
    if (missing.length > 0)
      problems.push(`table ${table} lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`)
  }
  return { name: 'tables', ok: problems.length === 0, problems }
}

async function checkTriggers(pool: Pool, triggers: ReadonlyArray<{ name: string; table: string }>): Promise<Check> {
  const { rows } = await pool.query<{ name: string; table: string; enabled: string }>(
    `SELECT t.tgname AS name, c.relname AS table, t.tgenabled AS enabled
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace`,
  )
  const found = new Map(rows.map((r) => [r.name, r]))
  const problems: string[] = []
  for (const t of triggers) {
    const row = found.get(t.name)
    if (row === undefined) problems.push(`trigger ${t.name} on ${t.table} is missing (authz would not see changes)`)
    else if (row.table !== t.table) problems.push(`trigger ${t.name} is on ${row.table}, expected ${t.table}`)
    else if (row.enabled === 'D')
      problems.push(`trigger ${t.name} on ${t.table} is disabled (authz would not see changes)`)
  }
  return { name: 'triggers', ok: problems.length === 0, problems }
}

async function checkFunctions(pool: Pool, functions: ReadonlyArray<string>): Promise<Check> {
  const { rows } = await pool.query<{ proname: string }>(
    `SELECT proname FROM pg_proc WHERE pronamespace = current_schema()::regnamespace AND proname = ANY($1)`,
    [functions],
  )
  const found = new Set(rows.map((r) => r.proname))
  const problems = functions.filter((f) => !found.has(f)).map((f) => `function ${f} is missing`)
  return { name: 'functions', ok: problems.length === 0, problems }
}

async function checkConfigState(pool: Pool): Promise<Check> {
  const exists = await pool.query<{ t: string | null }>(`SELECT to_regclass('config_state')::text AS t`)
  if (exists.rows[0]?.t == null) return { name: 'config_state', ok: false, problems: ['table config_state is missing'] }
  const { rows } = await pool.query<{ id: number; version: string }>(
    'SELECT id, version::text AS version FROM config_state',
  )
  const problems: string[] = []
  if (!rows.some((r) => r.id === 1)) problems.push('config_state row 1 is missing (every config write would fail)')
  if (rows.length > 1) problems.push(`config_state has ${rows.length} rows, expected exactly one`)
  const version = rows.find((r) => r.id === 1)?.version
  if (version !== undefined && BigInt(version) < 0n) problems.push(`config_state.version is negative (${version})`)
  return { name: 'config_state', ok: problems.length === 0, problems }
}
