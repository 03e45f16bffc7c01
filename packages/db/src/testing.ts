import { randomBytes } from 'node:crypto'
import { Client } from 'pg'
import { runMigrations } from './migrate'

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres'

export type TestDatabase = { url: string; name: string; drop(): Promise<void> }

/** The server tests may create databases on (the URL's own database is only used to issue CREATE/DROP). */
export function testServerUrl(): string {
  return process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL
}

async function withAdminClient<T>(serverUrl: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl, application_name: 'gatekeeper-tests' })
  client.on('error', () => {})
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/**
 * A fresh, migrated database of its own (`gk_test_<random>`) on the test server, so integration tests
 * never share state. Call drop() when done: it disconnects whoever is still connected and drops it.
 * `{ migrate: false }` leaves it empty (for testing migrations themselves).
 */
export async function createTestDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = testServerUrl()
  const name = `gk_test_${randomBytes(6).toString('hex')}`
  await withAdminClient(serverUrl, (c) => c.query(`CREATE DATABASE "${name}"`))
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const dbUrl = url.toString()
  let dropped: Promise<void> | undefined
  const drop = () => {
    dropped ??= withAdminClient(serverUrl, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    })
    return dropped
  }
  if (opts.migrate === false) return { url: dbUrl, name, drop }
  try {
    await runMigrations({ url: dbUrl })
  } catch (err) {
    await drop().catch(() => undefined)
    throw err
  }
  return { url: dbUrl, name, drop }
}

export * from './fixtures'
