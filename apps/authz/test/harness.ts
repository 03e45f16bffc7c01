// Integration harness: a fresh migrated database per suite, the REAL authz (startAuthz: pg pool, LISTEN
// connection, snapshot manager, HTTP server) on a random loopback port, admin operations from another
// connection, and small helpers to ask /authz and to wait for a decision to change.

import { randomBytes } from 'node:crypto'
import { Writable } from 'node:stream'
import { createSealer, deriveKeyId, type Sealer } from '@gatekeeper/crypto'
import { type AdminOps, createAdminOps } from '@gatekeeper/db/admin'
import { createDb, type DbHandle } from '@gatekeeper/db/client'
import { createTestDatabase, type TestDatabase } from '@gatekeeper/testkit/postgres'
import { afterAll, beforeAll } from 'vitest'
import { loadAuthzConfig } from '../src/config'
import { type AuthzServer, startAuthz } from '../src/server'

export const ACTOR = { actor: 'authz-int-test', actorType: 'system' as const }

export interface LogCapture {
  lines: Array<Record<string, unknown>>
  destination: Writable
}

export function captureLogs(): LogCapture {
  const lines: Array<Record<string, unknown>> = []
  let pending = ''
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      pending += chunk.toString('utf8')
      let nl = pending.indexOf('\n')
      while (nl >= 0) {
        const line = pending.slice(0, nl)
        pending = pending.slice(nl + 1)
        if (line.length > 0) lines.push(JSON.parse(line) as Record<string, unknown>)
        nl = pending.indexOf('\n')
      }
      done()
    },
  })
  return { lines, destination }
}

export interface World {
  db: TestDatabase
  writer: DbHandle
  masterKey: string
  sealer: Sealer
  admin: AdminOps
  close(): Promise<void>
}

export async function createWorld(): Promise<World> {
  const db = await createTestDatabase()
  const writer = createDb(db.url, { max: 3, applicationName: 'authz-int-writer', onError: () => undefined })
  const key = randomBytes(32)
  const masterKey = key.toString('base64')
  const sealer = createSealer({ active: { id: deriveKeyId(key), key } })
  const admin = createAdminOps({ db: writer.db, sealer })
  return {
    db,
    writer,
    masterKey,
    sealer,
    admin,
    async close() {
      await writer.close()
      await db.drop()
    },
  }
}

export interface RunningAuthz {
  server: AuthzServer
  url: string
  logs: LogCapture
  authz(headers: Record<string, string>, init?: RequestInit): Promise<Response>
}

export async function runAuthz(
  world: Pick<World, 'db' | 'masterKey'>,
  env: Record<string, string> = {},
  options: { databaseUrl?: string; backoff?: { baseMs: number; capMs: number } } = {},
): Promise<RunningAuthz> {
  const logs = captureLogs()
  const config = loadAuthzConfig({
    DATABASE_URL: options.databaseUrl ?? world.db.url,
    GATEKEEPER_MASTER_KEY: world.masterKey,
    AUTHZ_PORT: '0',
    AUTHZ_HOST: '127.0.0.1',
    CONFIG_POLL_INTERVAL_MS: '1000',
    LOG_LEVEL: 'info',
    SHUTDOWN_GRACE_MS: '2000',
    ...env,
  })
  const server = await startAuthz(config, {
    logDestination: logs.destination,
    backoff: options.backoff ?? { baseMs: 50, capMs: 500 },
  })
  const url = `http://127.0.0.1:${server.port}`
  if (!(await server.manager.ready(10_000))) throw new Error('authz did not load its snapshot in time')
  return {
    server,
    url,
    logs,
    authz: (headers, init = {}) => fetch(`${url}/authz`, { ...init, headers }),
  }
}

/**
 * A world and one authz over it for the whole file: created in beforeAll, closed in afterAll. The objects are
 * filled in once beforeAll has run; read them inside tests and hooks.
 */
export function useAuthz(env: Record<string, string> = {}): { world: World; authz: RunningAuthz } {
  const world = {} as World
  const authz = {} as RunningAuthz
  beforeAll(async () => {
    Object.assign(world, await createWorld())
    Object.assign(authz, await runAuthz(world, env))
  })
  afterAll(async () => {
    await authz.server?.close()
    await world.close?.()
  })
  return { world, authz }
}

/** authz's answer to nginx-style `headers`: `<status> <X-Auth-Reason>`. */
export async function decisionOf(authz: RunningAuthz, headers: Record<string, string>): Promise<string> {
  const res = await authz.authz(headers)
  await res.arrayBuffer()
  return `${res.status} ${res.headers.get('x-auth-reason')}`
}

/** Polls `probe` until it returns true; resolves with the milliseconds it took. */
export async function eventually(probe: () => Promise<boolean>, timeoutMs = 5000, everyMs = 10): Promise<number> {
  const started = performance.now()
  for (;;) {
    if (await probe()) return performance.now() - started
    if (performance.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

/** Headers nginx would send for `method host path`. */
export function original(method: string, host: string, uri: string, extra: Record<string, string> = {}) {
  return { 'X-Original-Method': method, 'X-Original-Host': host, 'X-Original-URI': uri, ...extra }
}

export function uniqueHost(): string {
  return `api-${randomBytes(4).toString('hex')}.example.com`
}
