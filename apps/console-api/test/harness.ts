import { randomBytes } from 'node:crypto'
import { sealerFromConfig } from '@gatekeeper/crypto'
import { type AdminOps, createAdminOps } from '@gatekeeper/db/admin'
import { createDb, type DbHandle } from '@gatekeeper/db/client'
import { createMemoryAdmissionStore, type MemoryAdmissionStore } from '@gatekeeper/limits'
import { type FakeAegis, startFakeAegis } from '@gatekeeper/testkit/aegis'
import { createTestDatabase, type TestDatabase } from '@gatekeeper/testkit/postgres'
import { Registry } from 'prom-client'
import { afterAll, beforeAll } from 'vitest'
import { aegisClientFromConfig } from '../src/aegis/client'
import { type ConsoleApp, createApp } from '../src/app'
import type { AppDeps, UsageReader } from '../src/app-deps'
import { loadConsoleConfig } from '../src/config'
import { createLogger } from '../src/logger'
import { createMetrics, type Metrics } from '../src/metrics'

export const TEST_AEGIS_TIMEOUT_MS = 300
export const ADMIN_EMAIL_ALLOWED = 'allowed-admin@example.com'
export const WEBHOOK_SECRET = `whsec_${randomBytes(16).toString('hex')}`

/** The environment a test console-api runs with; override any variable per suite. */
export function testEnv(databaseUrl: string, aegis: FakeAegis, env: Record<string, string | undefined> = {}) {
  return {
    DATABASE_URL: databaseUrl,
    GATEKEEPER_MASTER_KEY: randomBytes(32).toString('base64'),
    AEGIS_API_URL: aegis.url,
    AEGIS_SITE_ID: aegis.siteId,
    AEGIS_TENANT_API_KEY: aegis.tenantApiKey,
    AEGIS_WEBHOOK_SECRET: WEBHOOK_SECRET,
    AEGIS_ADMIN_EMAILS: ` ${ADMIN_EMAIL_ALLOWED.toUpperCase()} , other@example.com`,
    AEGIS_TIMEOUT_MS: String(TEST_AEGIS_TIMEOUT_MS),
    SITE_NAME: 'Gatekeeper Test',
    SITE_DOMAIN: 'gatekeeper.test',
    LOG_LEVEL: 'debug',
    ...env,
  }
}

export type Harness = {
  app: ConsoleApp
  deps: AppDeps
  aegis: FakeAegis
  ops: AdminOps
  db: DbHandle
  metrics: Metrics
  store: MemoryAdmissionStore
  /** Every log line written, parsed. */
  logs: Array<Record<string, unknown>>
  rawLogs: string[]
  /** Moves console-api's clock (cache expiry, webhook timestamps). */
  clock: { offsetMs: number }
  /** A console admin (in the database and known to Aegis) and a bearer token for them. */
  newAdmin(): Promise<{ token: string; email: string; adminId: string; uuid: string }>
  /** Calls the app in-process. `token` sets the bearer header; `json` sends a JSON body. */
  call(method: string, path: string, opts?: CallOptions): Promise<Response>
  /** Builds another app over the same database and fake Aegis, with a different environment. */
  withEnv(env: Record<string, string | undefined>, overrides?: Partial<AppDeps>): ConsoleApp
  close(): Promise<void>
}

export type CallOptions = {
  token?: string
  json?: unknown
  body?: string
  headers?: Record<string, string>
  /** The socket peer's address, as @hono/node-server would report it (absent: no socket, as in app.request). */
  peer?: string
}

export const SYSTEM_ACTOR = { actor: 'test-setup', actorType: 'system' as const }

export async function createHarness(env: Record<string, string | undefined> = {}): Promise<Harness> {
  const testDb: TestDatabase = await createTestDatabase()
  const aegis = await startFakeAegis()
  const db = createDb(testDb.url, { max: 4 })
  const rawLogs: string[] = []
  const logs: Array<Record<string, unknown>> = []
  const clock = { offsetMs: 0 }
  const store = createMemoryAdmissionStore({ sweepIntervalMs: 0 })

  function build(extraEnv: Record<string, string | undefined>, overrides: Partial<AppDeps> = {}) {
    const config = loadConsoleConfig(testEnv(testDb.url, aegis, { ...env, ...extraEnv }))
    const sealed = sealerFromConfig(config.masterKey)
    if (!sealed.ok) throw new Error(sealed.error)
    const metrics = createMetrics(new Registry(), { defaultMetrics: false })
    const logger = createLogger({
      level: config.logLevel,
      destination: {
        write(line: string) {
          rawLogs.push(line)
          logs.push(JSON.parse(line))
        },
      },
    })
    const usage: UsageReader = store
    const deps: AppDeps = {
      config,
      db,
      adminOps: createAdminOps({ db: db.db, sealer: sealed.sealer }),
      aegis: aegisClientFromConfig(config.aegis, metrics),
      usage,
      logger,
      metrics,
      clock: { now: () => Date.now() + clock.offsetMs },
      ...overrides,
    }
    return { app: createApp(deps), deps }
  }

  const { app, deps } = build({})
  const ops = deps.adminOps

  async function call(method: string, path: string, opts: CallOptions = {}): Promise<Response> {
    return callApp(app, method, path, opts)
  }

  return {
    app,
    deps,
    aegis,
    ops,
    db,
    metrics: deps.metrics,
    store,
    logs,
    rawLogs,
    clock,
    async newAdmin() {
      const { user, token } = aegis.addUser()
      const admin = await ops.admins.add(SYSTEM_ACTOR, { email: user.email, aegis_user_id: user.uuid })
      return { token, email: user.email, adminId: admin.admin_id, uuid: user.uuid }
    },
    call,
    withEnv: (extraEnv, overrides) => build(extraEnv, overrides).app,
    async close() {
      await store.close()
      await aegis.stop()
      await db.close()
      await testDb.drop()
    },
  }
}

/** A console admin of the harness, with a bearer token Aegis accepts for them. */
export type TestAdmin = Awaited<ReturnType<Harness['newAdmin']>>

/**
 * The set-up most suites share: a harness for the file and one console admin, made before its tests and
 * closed after them. Both are filled in by beforeAll, so read them inside tests and hooks, never at module level.
 */
export function useAdminHarness(env: Record<string, string | undefined> = {}): { h: Harness; admin: TestAdmin } {
  let harness: Harness | undefined
  const h = new Proxy({} as Harness, {
    get: (_, key) => Reflect.get(must(harness, 'the harness (read before beforeAll ran)'), key),
  })
  const admin = {} as TestAdmin
  beforeAll(async () => {
    harness = await createHarness(env)
    Object.assign(admin, await harness.newAdmin())
  })
  afterAll(() => harness?.close())
  return { h, admin }
}

export function callApp(app: ConsoleApp, method: string, path: string, opts: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...opts.headers }
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`
  let body: string | undefined = opts.body
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json)
    headers['content-type'] ??= 'application/json'
  }
  const env = opts.peer === undefined ? undefined : { incoming: { socket: { remoteAddress: opts.peer } } }
  return Promise.resolve(app.request(path, { method, headers, body }, env))
}

/** A response body, typed by the caller (tests know which wire shape they asked for). */
export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T
}

/** The value, or a failed test when it is missing (tests use this instead of `!`). */
export function must<T>(value: T | undefined | null, what = 'value'): T {
  if (value === undefined || value === null) throw new Error(`expected ${what} to be present`)
  return value
}
