import { randomBytes } from 'node:crypto'
import { drizzle } from 'drizzle-orm/node-postgres'
import { migrate } from 'drizzle-orm/node-postgres/migrator'
import { Client } from 'pg'

import { MIGRATIONS_DIR } from './paths'
import { startPrivatePostgres as startServer } from './postgres-servers'
import { useSuiteResource } from './suite'

// PostgreSQL for tests: a fresh database of a test's own on the shared server (createTestDatabase), or a whole
// server of its own that can be stopped and restarted (startPrivatePostgres).

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres'

export type TestDatabase = { url: string; name: string; drop(): Promise<void> }

/** The server tests may create databases on (the URL's own database is only used to issue CREATE/DROP). */
export function testServerUrl(): string {
  return process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL
}

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'gatekeeper-tests' })
  client.on('error', () => {})
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/**
 * A fresh database of its own (`gk_test_<random>`) on the test server, so integration tests never share state,
 * migrated with the committed migrations (packages/db/drizzle, what `runMigrations` applies). Call drop() when done:
 * it disconnects whoever is still connected and drops it. `{ migrate: false }` leaves it empty (for testing
 * migrations themselves). `serverUrl` picks another server (a private one).
 */
export async function createTestDatabase(opts: { migrate?: boolean; serverUrl?: string } = {}): Promise<TestDatabase> {
  const serverUrl = opts.serverUrl ?? testServerUrl()
  const name = `gk_test_${randomBytes(6).toString('hex')}`
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE "${name}"`))
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const dbUrl = url.toString()
  let dropped: Promise<void> | undefined
  const drop = () => {
    dropped ??= withClient(serverUrl, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    })
    return dropped
  }
  if (opts.migrate === false) return { url: dbUrl, name, drop }
  try {
    await withClient(dbUrl, (c) => migrate(drizzle(c), { migrationsFolder: MIGRATIONS_DIR }))
  } catch (err) {
    await drop().catch(() => undefined)
    throw err
  }
  return { url: dbUrl, name, drop }
}

/**
 * A test database for the whole file: created in beforeAll, dropped in afterAll. The object is filled in once
 * beforeAll has run; read `db.url` inside tests and hooks.
 */
export function useTestDatabase(opts: { migrate?: boolean } = {}): TestDatabase {
  return useSuiteResource(
    () => createTestDatabase(opts),
    (db) => db.drop(),
  )
}

// A PostgreSQL cluster of a test's own that can be stopped and restarted while other suites use the machine's
// shared server undisturbed (the fault and soak scripts). The server itself, and a primary with a streaming
// standby for failover tests, come from ./postgres-servers.

export interface PrivatePostgres {
  port: number
  /** postgres://postgres@127.0.0.1:<port>/<db> */
  url(database?: string): string
  createDatabase(name: string): Promise<string>
  stop(mode?: 'fast' | 'immediate'): void
  start(): void
  /** Stops the server and removes its directory. */
  destroy(): void
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const pg = await startServer({ settings: ['synchronous_commit=off'] })
  return {
    port: pg.server.port,
    url: (database) => pg.server.url(database),
    createDatabase: (name) => pg.createDatabase(name),
    stop: (mode = 'fast') => pg.server.stop(mode),
    start: () => pg.server.start(),
    destroy: () => pg.destroy(),
  }
}
