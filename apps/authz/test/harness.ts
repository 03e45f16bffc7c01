// Integration harness: a fresh migrated database per suite, the REAL authz (startAuthz: pg pool, LISTEN
// connection, snapshot manager, HTTP server) on a random loopback port, admin operations from another
// connection, and small helpers to ask /authz and to wait for a decision to change.

import { randomBytes } from 'node:crypto'
import { Writable } from 'node:stream'
import { createSealer, deriveKeyId, type Sealer } from '@gatekeeper/crypto'
import { type AdminOps, createAdminOps } from '@gatekeeper/db/admin'
import { createDb, type DbHandle } from '@gatekeeper/db/client'
import { createTestDatabase, type TestDatabase } from '@gatekeeper/testkit/postgres'
import { useSuiteResource } from '@gatekeeper/testkit/suite'
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

async function createWorld(): Promise<World> {
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

export interface RunningAuthz extends AuthzClient {
  server: AuthzServer
  logs: LogCapture
}

/** The environment of an authz on `world`'s database, on a random loopback port; `extra` adds or overrides. */
export function authzEnv(
  world: Pick<World, 'db' | 'masterKey'>,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    DATABASE_URL: world.db.url,
    GATEKEEPER_MASTER_KEY: world.masterKey,
    AUTHZ_PORT: '0',
    AUTHZ_HOST: '127.0.0.1',
    ...extra,
  }
}

export async function runAuthz(
  world: Pick<World, 'db' | 'masterKey'>,
  env: Record<string, string> = {},
  options: { databaseUrl?: string; backoff?: { baseMs: number; capMs: number } } = {},
): Promise<RunningAuthz> {
  const logs = captureLogs()
  const config = loadAuthzConfig(
    authzEnv(world, {
      DATABASE_URL: options.databaseUrl ?? world.db.url,
      CONFIG_POLL_INTERVAL_MS: '1000',
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_MS: '2000',
      ...env,
    }),
  )
  const server = await startAuthz(config, {
    logDestination: logs.destination,
    backoff: options.backoff ?? { baseMs: 50, capMs: 500 },
  })
  if (!(await server.manager.ready(10_000))) throw new Error('authz did not load its snapshot in time')
  return { server, logs, ...authzClient(`http://127.0.0.1:${server.port}`) }
}

/**
 * A world for the whole file (tests start their own authz on it): created in beforeAll, closed in afterAll. The
 * object is filled in once beforeAll has run; read it inside tests and hooks.
 */
export function useWorld(): World {
  return useSuiteResource(createWorld, (world) => world.close())
}

/**
 * An authz over `world` for the enclosing suite (the file, or the describe it is called in): started in beforeAll
 * with `env` (or what `env()` returns then, for values another beforeAll makes), closed in afterAll. vitest runs
 * afterAll hooks last-registered first, so it is closed before whatever was set up ahead of it.
 */
export function useAuthzOn(
  world: World,
  env: Record<string, string> | (() => Record<string, string>) = {},
): RunningAuthz {
  return useSuiteResource(
    () => runAuthz(world, typeof env === 'function' ? env() : env),
    (authz) => authz.server.close(),
  )
}

/** A world and one authz over it for the whole file. */
export function useAuthz(env: Record<string, string> = {}): { world: World; authz: RunningAuthz } {
  const world = useWorld()
  return { world, authz: useAuthzOn(world, env) }
}

/** What tests ask of a running authz, in this process or another: /authz, /health and /metrics over HTTP. */
export interface AuthzClient {
  url: string
  authz(headers: Record<string, string>, init?: RequestInit): Promise<Response>
  /** The answer to nginx-style `headers`: `<status> <X-Auth-Reason>`. */
  decision(headers: Record<string, string>, init?: RequestInit): Promise<string>
  /** /health: its status code and JSON body. */
  health<Body = Record<string, unknown>>(): Promise<{ code: number; body: Body }>
  /** /metrics as Prometheus text. */
  metrics(): Promise<string>
}

export function authzClient(url: string): AuthzClient {
  const authz: AuthzClient['authz'] = (headers, init = {}) => fetch(`${url}/authz`, { ...init, headers })
  return {
    url,
    authz,
    async decision(headers, init) {
      const res = await authz(headers, init)
      await res.arrayBuffer()
      return `${res.status} ${res.headers.get('x-auth-reason')}`
    },
    async health<Body>() {
      const res = await fetch(`${url}/health`)
      return { code: res.status, body: (await res.json()) as Body }
    },
    metrics: async () => (await fetch(`${url}/metrics`)).text(),
  }
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

/** `Authorization: Bearer <key>` for a client the admin operations created (an empty key when it has none). */
export function bearer(client: { api_key?: string | null }): Record<string, string> {
  return { Authorization: `Bearer ${client.api_key ?? ''}` }
}

// A route's method settings, by credential kind.
export const API_KEY = { auth_required: true, auth_type: 'api_key' } as const
export const HMAC = { auth_required: true, auth_type: 'hmac' } as const
export const PUBLIC = { auth_required: false, auth_type: null } as const

export interface RouteSpec {
  route_pattern: string
  service_name: string
  methods: Partial<Record<'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', typeof API_KEY | typeof HMAC | typeof PUBLIC>>
  metadata_header?: string | null
}

/** A route on `host`, created through the admin operations. */
export function createRoute(admin: AdminOps, host: string, spec: RouteSpec) {
  return admin.routes.create(ACTOR, { ...spec, domain: host })
}

/** A route whose GET needs no credentials, on `host` (a fresh one unless given). */
export function publicRoute(admin: AdminOps, routePattern: string, serviceName: string, host = uniqueHost()) {
  return createRoute(admin, host, { route_pattern: routePattern, service_name: serviceName, methods: { GET: PUBLIC } })
}

/** A client created from `body` (the admin API's create body) and granted `methods` on `routeId`. */
export async function grantedClient(
  admin: AdminOps,
  routeId: string,
  body: Record<string, unknown>,
  methods: string[],
) {
  const client = await admin.clients.create(ACTOR, body)
  await admin.permissions.grant(ACTOR, { client_id: client.client_id, route_id: routeId, allowed_methods: methods })
  return client
}

/**
 * A route on a fresh host and a client granted every method of it: where most decision tests start. `client` is
 * the create body, or makes it from the host (for a name unique to it).
 */
export async function routeWithClient(
  admin: AdminOps,
  route: RouteSpec,
  client: Record<string, unknown> | ((host: string) => Record<string, unknown>),
) {
  const host = uniqueHost()
  const created = await createRoute(admin, host, route)
  const body = typeof client === 'function' ? client(host) : client
  return {
    host,
    route: created,
    client: await grantedClient(admin, created.route_id, body, Object.keys(route.methods)),
  }
}
