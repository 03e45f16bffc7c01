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
      await migrate(drizzle(client), { migrationsFolder })
    } finally {
      // Ending the session releases the lock too, so a failed unlock must not hide the real error.
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined)
    }
  } finally {
    await client.end()
  }
}
