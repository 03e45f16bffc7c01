import { randomBytes } from 'node:crypto'
import { createSealer, deriveKeyId, type Sealer } from '@gatekeeper/crypto'
import { ApiError } from '@gatekeeper/models'
import { createTestDatabase, type TestDatabase } from '@gatekeeper/testkit/postgres'
import { and, desc, eq, isNull } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest'
import { type AdminOps, createAdminOps } from '../src/admin/ops'
import type { Actor } from '../src/admin/types'
import { createDb, type DbHandle } from '../src/client'
import { adminAuditLog, clientCredentials } from '../src/schema'

// Shared by the admin integration tests (not exported from the package).

type AdminTestBase = {
  testDb: TestDatabase
  handle: DbHandle
  sealer: Sealer
  ops: AdminOps
  /** The clock the ops use; tests move it. */
  clock: { now: Date }
  close(): Promise<void>
}

type LockSql = { text: string; values?: unknown[] }
type Calls<T> = ReadonlyArray<() => Promise<T>>

/** The database, the ops over it, and the factories and queries the admin tests run against them. */
export type AdminTestContext = AdminTestBase & {
  /** The audit rows of one entity, newest first. */
  auditRows(entityId: string): ReturnType<typeof auditRowsFor>
  /** A new client with a unique name, created by a fresh actor: with an API key unless `body` says otherwise. */
  newClient(body?: Record<string, unknown>): ReturnType<AdminOps['clients']['create']>
  /** A new unique route (routeBody with `overrides`), created by a fresh actor. */
  newRoute(overrides?: Record<string, unknown>): ReturnType<AdminOps['routes']['create']>
  /** The client's current (not rotated-out) credential row of this kind. */
  currentCredentialRow(clientId: string, kind: 'api_key' | 'shared_secret'): ReturnType<typeof currentCredentialRow>
  /**
   * Starts the calls while another connection holds a row lock (taken by `lockSql`), waits until every call is
   * blocked on a lock, then lets them go: a deterministic race between writers that read first.
   */
  raceBehindLock<T>(lockSql: LockSql, calls: Calls<T>): Promise<PromiseSettledResult<T>[]>
  /** raceBehindLock on the config writers' lock (config_state), which every config write takes first. */
  raceBehindConfigLock<T>(calls: Calls<T>): Promise<PromiseSettledResult<T>[]>
}

export async function createAdminTestContext(): Promise<AdminTestContext> {
  const testDb = await createTestDatabase()
  const handle = createDb(testDb.url, { max: 6 })
  const masterKey = randomBytes(32)
  const sealer = createSealer({ active: { id: deriveKeyId(masterKey), key: masterKey } })
  const clock = { now: new Date() }
  const ops = createAdminOps({ db: handle.db, sealer, now: () => clock.now })
  return {
    testDb,
    handle,
    sealer,
    ops,
    clock,
    async close() {
      await handle.close()
      await testDb.drop()
    },
    auditRows: (entityId) => auditRowsFor(handle, entityId),
    newClient: (body = { api_key: true }) => ops.clients.create(actor(), { client_name: clientName(), ...body }),
    newRoute: (overrides = {}) => ops.routes.create(actor(), routeBody(overrides)),
    currentCredentialRow: (clientId, kind) => currentCredentialRow(handle, clientId, kind),
    raceBehindLock: (lockSql, calls) => raceBehindLock(handle, lockSql, calls),
    raceBehindConfigLock: (calls) =>
      raceBehindLock(handle, { text: 'SELECT version FROM config_state WHERE id = 1 FOR UPDATE' }, calls),
  }
}

/**
 * One context for the whole file (`'file'`: created in beforeAll, closed in afterAll) or a fresh database for every
 * test (`'test'`: beforeEach and afterEach). Call it at the top of a test file and read its fields inside tests and
 * hooks (they are filled in once the hook has run).
 */
export function useAdminTestContext(scope: 'file' | 'test' = 'file'): AdminTestContext {
  const ctx = {} as AdminTestContext
  const [setUp, tearDown] = scope === 'file' ? [beforeAll, afterAll] : [beforeEach, afterEach]
  setUp(async () => {
    Object.assign(ctx, await createAdminTestContext())
  })
  tearDown(async () => {
    await ctx.close?.()
  })
  return ctx
}

export function actor(name = `tester-${randomBytes(3).toString('hex')}`): Actor {
  return { actor: name, actorType: 'cli', requestId: `req-${randomBytes(4).toString('hex')}` }
}

/** The rejection, checked to be an ApiError with this status (and code). */
export async function expectApiError(promise: Promise<unknown>, status: number, code?: string): Promise<ApiError> {
  const err = await promise.then(
    () => {
      throw new Error(`expected an ApiError ${status}, but the call succeeded`)
    },
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(ApiError)
  if (!(err instanceof ApiError)) throw err
  expect(err.status).toBe(status)
  if (code !== undefined) expect(err.code).toBe(code)
  return err
}

/** The documented key order (docs/admin-api.md), then the additive keys: shared with console-api's tests. */
export { KEY_ORDER } from '@gatekeeper/models/testing'

/** Key order as a consumer sees it: after a JSON round trip. */
export function keysOf(value: unknown): string[] {
  return Object.keys(JSON.parse(JSON.stringify(value)))
}

async function auditRowsFor(handle: DbHandle, entityId: string) {
  return handle.db
    .select()
    .from(adminAuditLog)
    .where(eq(adminAuditLog.entityId, entityId))
    .orderBy(desc(adminAuditLog.id))
}

let counter = 0

/** A unique route body. */
export function routeBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1
  const n = `${randomBytes(3).toString('hex')}${counter}`
  return {
    route_pattern: `/svc-${n}/*`,
    domain: `api-${n}.example.com`,
    service_name: `service-${n}`,
    methods: {
      POST: { auth_required: true, auth_type: 'hmac' },
      GET: { auth_required: false, auth_type: null },
    },
    ...overrides,
  }
}

export function clientName(): string {
  counter += 1
  return `client ${randomBytes(3).toString('hex')}-${counter}`
}

async function currentCredentialRow(handle: DbHandle, clientId: string, kind: 'api_key' | 'shared_secret') {
  const [row] = await handle.db
    .select()
    .from(clientCredentials)
    .where(
      and(
        eq(clientCredentials.clientId, clientId),
        eq(clientCredentials.kind, kind),
        isNull(clientCredentials.expiresAt),
      ),
    )
  return row
}

async function raceBehindLock<T>(
  handle: DbHandle,
  lockSql: LockSql,
  calls: Calls<T>,
): Promise<PromiseSettledResult<T>[]> {
  const holder = await handle.pool.connect()
  try {
    await holder.query('BEGIN')
    await holder.query(lockSql.text, lockSql.values)
    const settled = Promise.allSettled(calls.map((call) => call()))
    const deadline = Date.now() + 10_000
    for (;;) {
      const { rows } = await handle.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
      )
      if ((rows[0]?.n ?? 0) >= calls.length) break
      if (Date.now() > deadline) throw new Error('the racing calls never blocked')
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    await holder.query('COMMIT')
    return await settled
  } finally {
    holder.release()
  }
}
