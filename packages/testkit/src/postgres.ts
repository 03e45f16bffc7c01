import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chownSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { drizzle } from 'drizzle-orm/node-postgres'
import { migrate } from 'drizzle-orm/node-postgres/migrator'
import { Client } from 'pg'
import { afterAll, beforeAll } from 'vitest'
import { MIGRATIONS_DIR } from './paths'
import { freePort } from './ports'

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
  const db = {} as TestDatabase
  beforeAll(async () => {
    Object.assign(db, await createTestDatabase(opts))
  })
  afterAll(async () => {
    await db.drop?.()
  })
  return db
}

// A PostgreSQL cluster of a test's own (initdb into a temporary directory, pg_ctl on a random
// loopback port, its socket in that directory), so it can be stopped and restarted while other suites use the
// machine's shared server undisturbed. initdb refuses to run as root: then every command runs as `postgres`.

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin'

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

function asOwner(command: string, args: string[]): string {
  const runAs = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : []
  const [cmd = command, ...rest] = [...runAs, command, ...args]
  return execFileSync(cmd, rest, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'gk-pg-'))
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    chownSync(dir, uid, gid)
  }
  const data = join(dir, 'data')
  asOwner(join(BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'])
  const port = await freePort()
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`
  const pgCtl = (args: string[]) => asOwner(join(BIN, 'pg_ctl'), ['-D', data, ...args])
  const start = () => {
    pgCtl(['-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '30', 'start'])
  }
  start()
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`
  return {
    port,
    url,
    async createDatabase(name) {
      await withClient(url(), (c) => c.query(`CREATE DATABASE "${name}"`))
      return url(name)
    },
    stop(mode = 'fast') {
      pgCtl(['-m', mode, '-w', '-t', '30', 'stop'])
    },
    start,
    destroy() {
      try {
        pgCtl(['-m', 'immediate', '-w', 'stop'])
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
