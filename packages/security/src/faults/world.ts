import { randomBytes } from 'node:crypto'
import { sealerFromConfig, signRequestV1 } from '@gatekeeper/crypto'
import { type Actor, type AdminOps, createAdminOps } from '@gatekeeper/db/admin'
import { createDb, type DbHandle } from '@gatekeeper/db/client'
import { runMigrations } from '@gatekeeper/db/migrate'
import type { PrivatePostgres } from '@gatekeeper/testkit/postgres'
import { Client } from 'pg'
import type { Probe } from './load'

// The configuration the fault and soak scripts run against, made with the same admin operations console-api
// and the CLI use, in a database of its own on the private cluster:
//   /pub/*      GET public
//   /key/*      GET api_key            alice, victim (suspended during a fault), newbie (granted during one)
//   /hmac/*     GET hmac               alice
//   /limited/*  GET api_key            limited (a rate limit so high it never trips: every call asks Redis)

export const ACTOR: Actor = { actor: 'fault-script', actorType: 'system' }

export interface Client3 {
  id: string
  key: string
  secret: string
}

export interface FaultWorld {
  url: string
  masterKey: string
  ops: AdminOps
  routes: Record<'pub' | 'key' | 'hmac' | 'limited', string>
  alice: Client3
  limited: Client3
  victim: Client3
  newbie: Client3
  /** The config version committed so far. */
  version(): Promise<number>
  /** The pid of a backend by application name (the LISTEN connection: gatekeeper-authz-listen). */
  terminate(applicationName: string): Promise<number>
  close(): Promise<void>
}

async function client(ops: AdminOps, name: string): Promise<Client3> {
  const created = await ops.clients.create(ACTOR, { client_name: name, api_key: true, shared_secret: true })
  return { id: created.client_id, key: created.api_key ?? '', secret: created.shared_secret ?? '' }
}

export async function createFaultWorld(pg: PrivatePostgres, name: string): Promise<FaultWorld> {
  const url = await pg.createDatabase(name)
  await runMigrations({ url })
  const masterKey = randomBytes(32).toString('base64')
  const sealer = sealerFromConfig({ key: masterKey })
  if (!sealer.ok) throw new Error(sealer.error)
  const handle: DbHandle = createDb(url, { max: 2, applicationName: 'gatekeeper-fault-script', onError: () => {} })
  const ops = createAdminOps({ db: handle.db, sealer: sealer.sealer })
  const route = async (pattern: string, auth: 'public' | 'api_key' | 'hmac') => {
    const methods =
      auth === 'public' ? { GET: { auth_required: false } } : { GET: { auth_required: true, auth_type: auth } }
    return (
      await ops.routes.create(ACTOR, { route_pattern: pattern, domain: 'api.example.com', service_name: 's', methods })
    ).route_id
  }
  const routes = {
    pub: await route('/pub/*', 'public'),
    key: await route('/key/*', 'api_key'),
    hmac: await route('/hmac/*', 'hmac'),
    limited: await route('/limited/*', 'api_key'),
  }
  const alice = await client(ops, 'alice')
  const limited = await client(ops, 'limited')
  const victim = await client(ops, 'victim')
  const newbie = await client(ops, 'newbie')
  const grant = (c: Client3, routeId: string) =>
    ops.permissions.grant(ACTOR, { client_id: c.id, route_id: routeId, allowed_methods: ['GET'] })
  await grant(alice, routes.key)
  await grant(alice, routes.hmac)
  await grant(victim, routes.key)
  await grant(limited, routes.limited)
  await ops.rateLimits.set(ACTOR, limited.id, { requests_per_minute: 10_000_000 })

  const query = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const c = new Client({ connectionString: url, application_name: 'gatekeeper-fault-script' })
    await c.connect()
    try {
      return (await c.query(sql, params)).rows as T[]
    } finally {
      await c.end()
    }
  }
  return {
    url,
    masterKey,
    ops,
    routes,
    alice,
    limited,
    victim,
    newbie,
    async version() {
      const [row] = await query<{ v: string }>('SELECT version::text AS v FROM config_state WHERE id = 1')
      return Number(row?.v ?? 0)
    },
    async terminate(applicationName) {
      const rows = await query<{ pid: number }>(
        'SELECT pg_terminate_backend(pid) AS ok, pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
        [applicationName],
      )
      return rows.length
    },
    close: () => handle.close(),
  }
}

/** The steady traffic every fault runs under: answers that must never change whatever breaks. */
export function steadyProbes(w: FaultWorld): Probe[] {
  return [
    { name: 'public', target: '/pub/x', expect: () => [200], weight: 2 },
    {
      name: 'api key',
      target: '/key/x',
      headers: () => ({ authorization: `Bearer ${w.alice.key}` }),
      expect: () => [200],
      weight: 2,
    },
    { name: 'no credentials', target: '/key/x', expect: () => [401] },
    {
      name: 'wrong key',
      target: '/key/x',
      headers: () => ({ authorization: 'Bearer not-a-key-of-ours-0123456789' }),
      expect: () => [401],
    },
    { name: 'unmatched', target: '/nowhere/x', expect: () => [403] },
    // A dot segment is refused whatever it resolves to: authz and the API could read it differently.
    { name: 'traversal', target: '/pub/../key/x', expect: () => [400] },
  ]
}

/** A fresh HMAC v1 signature for GET <path> by `c`. */
export function hmacHeaders(c: Client3, path: string): () => Record<string, string> {
  return () => ({
    authorization: signRequestV1({ clientId: c.id, secret: c.secret, method: 'GET', path }).authorization,
  })
}

/** The environment of an authz replica for this world. */
export function authzEnv(w: FaultWorld, redisUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: w.url,
    GATEKEEPER_MASTER_KEY: w.masterKey,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: `gk-faults-${randomBytes(3).toString('hex')}:`,
    // Production's 5 ms assumes Redis next to authz on a host with CPU to spare. This machine (2 cores, shared with
    // other test runs) shows event-loop delays of 100 ms and more under load, and an admission call that misses
    // its deadline fails closed for HMAC requests (503): that would measure the machine, not the fault. 250 ms is
    // what the e2e harness uses for the same reason.
    REDIS_TIMEOUT_MS: '250',
    LOG_LEVEL: 'warn',
    AUDIT_LOG: 'false',
    SHUTDOWN_GRACE_MS: '1000',
    ...extra,
  }
}
