import { fileURLToPath } from 'node:url'
import type { PGlite } from '@electric-sql/pglite'
import { drizzle } from 'drizzle-orm/node-postgres'
import { migrate } from 'drizzle-orm/node-postgres/migrator'
import { connectionFactory } from './hosts'

/**
 * The committed SQL migrations, found relative to this file. A bundled app (dist/main.js) has a
 * different import.meta.url: it copies the folder next to its bundle and passes `migrationsFolder`.
 */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../drizzle', import.meta.url))

/** Fixed pg_advisory_lock key: every process migrating the same database queues on it. */
export const MIGRATION_LOCK_KEY = 0x6761_7465 // "gate"

type Queryable = { query(text: string): Promise<{ rows: Array<Record<string, unknown>> }> }

/**
 * The original (Python) gatekeeper's tables share names with ours (routes, clients, client_permissions, ...) but
 * not their shape: its key columns are route_id, client_id and permission_id where ours are `id`. Found in the
 * database about to be migrated (an original deployment's .env kept as is points here), they must stop the
 * migration before it fails half-way on a clash, and a reset before it drops them.
 */
const ORIGINAL_KEY_COLUMNS = [
  ['routes', 'route_id'],
  ['clients', 'client_id'],
  ['client_permissions', 'permission_id'],
] as const

/** The tables of the original (Python) gatekeeper in the connection's current schema, by name; [] when none. */
async function originalGatekeeperTables(db: Queryable): Promise<string[]> {
  const pairs = ORIGINAL_KEY_COLUMNS.map(([table, column]) => `('${table}', '${column}')`).join(', ')
  const { rows } = await db.query(
    `SELECT table_name::text AS name FROM information_schema.columns
      WHERE table_schema = current_schema() AND (table_name, column_name) IN (${pairs}) ORDER BY table_name`,
  )
  return rows.map((row) => String(row.name))
}

export class OriginalDatabaseError extends Error {
  constructor(readonly tables: readonly string[]) {
    super(
      `this database holds the original (Python) gatekeeper's tables (${tables.join(', ')}), which Gatekeeper's ` +
        'cannot sit beside. Give Gatekeeper a database of its own (DATABASE_URL, or another API_AUTH_ADMIN_PG_DB), ' +
        'run `gatekeeper db migrate` there, then copy the configuration across with ' +
        '`gatekeeper import-original --from <this database>`',
    )
    this.name = 'OriginalDatabaseError'
  }
}

/** Throws OriginalDatabaseError when the database holds the original system's tables. */
export async function refuseOriginalDatabase(db: Queryable): Promise<void> {
  const tables = await originalGatekeeperTables(db)
  if (tables.length > 0) throw new OriginalDatabaseError(tables)
}

export type MigrationTarget = { url: string } | { pglite: PGlite }
export type MigrateOptions = { migrationsFolder?: string }

/**
 * Applies pending migrations. Safe to call from several replicas starting at once: on a real
 * Postgres the work runs under a session advisory lock, so the second caller waits, then finds
 * nothing left to do. (Over a pglite-socket server every connection shares one session, where
 * advisory locks are re-entrant: migrate an embedded database in-process with `{ pglite }`.)
 */
export async function runMigrations(target: MigrationTarget, opts: MigrateOptions = {}): Promise<void> {
  const migrationsFolder = opts.migrationsFolder ?? MIGRATIONS_DIR
  if ('pglite' in target) {
    // Loaded lazily so servers talking to a real Postgres never load PGlite.
    const [{ drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
      import('drizzle-orm/pglite'),
      import('drizzle-orm/pglite/migrator'),
    ])
    await migratePglite(drizzlePglite(target.pglite), { migrationsFolder })
    return
  }

  const client = connectionFactory(target.url).client({ application_name: 'gatekeeper-migrate' })
  // A connection dropped between queries is reported here; the next query fails with it anyway.
  client.on('error', () => {})
  await client.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
    try {
      await refuseOriginalDatabase(client)
      await migrate(drizzle(client), { migrationsFolder })
    } finally {
      // Ending the session releases the lock too, so a failed unlock must not hide the real error.
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined)
    }
  } finally {
    await client.end()
  }
}
