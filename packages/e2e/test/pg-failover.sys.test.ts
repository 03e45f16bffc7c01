import { randomBytes } from 'node:crypto'
import { createDb } from '@gatekeeper/db/client'
import { runMigrations } from '@gatekeeper/db/migrate'
import { type FakeAegis, startFakeAegis } from '@gatekeeper/testkit/aegis'
import { send } from '@gatekeeper/testkit/http'
import { sleep, waitFor } from '@gatekeeper/testkit/ports'
import { findPostgresBin, type ReplicatedPostgres, startReplicatedPostgres } from '@gatekeeper/testkit/postgres-servers'
import { stopAll } from '@gatekeeper/testkit/process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliJson } from '../src/cli'
import { type RunningApps, startApps } from '../src/stack'

// PostgreSQL failover under load. A primary and a synchronous streaming standby of this test's own; authz,
// console-api and the CLI get one DATABASE_URL naming both (target_session_attrs=read-write). While authz
// answers a stream of decisions and console-api a stream of writes, the primary crashes and the standby is
// promoted. authz must keep deciding from memory, find the new primary, and miss no committed change;
// console-api must answer 503 (never 500, never hang) while no host accepts writes, and work afterwards.
// Bounded: 50 s for the set-up, 38 s for the switch (about 14 s and 6 s when it works).

const bin = findPostgresBin()
if ('missing' in bin) console.info(`skipping the PostgreSQL failover test: ${bin.missing}`)

const API_HOST = 'api.example.com'
const KEYED = '/api/items'

interface Outcome {
  at: number
  status: number
  ms: number
  body: string
}

describe.skipIf('missing' in bin)('PostgreSQL failover', () => {
  let pair: ReplicatedPostgres
  let apps: RunningApps
  let aegis: FakeAegis
  let token: string

  beforeAll(async () => {
    pair = await startReplicatedPostgres({ synchronous: true })
    await pair.createDatabase('gatekeeper')
    const url = pair.multiHostUrl('gatekeeper')
    await runMigrations({ url })
    const masterKey = randomBytes(32).toString('base64')
    const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
    const redisKeyPrefix = `gk-failover-${randomBytes(4).toString('hex')}:`
    aegis = await startFakeAegis()
    const admin = aegis.addUser()
    token = admin.token
    // The CLI takes the same multi-host URL.
    await cliJson(['admin', 'add', '--email', admin.user.email, '--aegis-user-id', admin.user.uuid], {
      DATABASE_URL: url,
      GATEKEEPER_MASTER_KEY: masterKey,
    })
    const shared = {
      DATABASE_URL: url,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: redisKeyPrefix,
      GATEKEEPER_MASTER_KEY: masterKey,
    }
    apps = await startApps(shared, aegis)
  }, 50_000)

  afterAll(async () => {
    await stopAll()
    await aegis?.stop()
    pair?.destroy()
  })

  async function admin(method: string, path: string, body?: unknown, timeoutMs = 8000): Promise<Outcome> {
    const started = performance.now()
    try {
      const reply = await send({
        port: apps.api.port,
        method,
        path: `/api/admin${path}`,
        headers: {
          Host: 'console.example.com',
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          Accept: 'application/json',
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        timeoutMs,
      })
      return { at: Date.now(), status: reply.status, ms: performance.now() - started, body: reply.body }
    } catch (err) {
      // No reply at all (the request hung past timeoutMs or the connection broke): recorded as status 0.
      return { at: Date.now(), status: 0, ms: performance.now() - started, body: String(err) }
    }
  }

  async function ok(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const reply = await admin(method, path, body)
    if (reply.status < 200 || reply.status > 299) throw new Error(`${method} ${path}: ${reply.status} ${reply.body}`)
    return JSON.parse(reply.body) as Record<string, unknown>
  }

  async function decide(path: string, apiKey?: string): Promise<number> {
    const reply = await send({
      port: apps.authz.port,
      path: '/authz',
      headers: {
        Host: 'authz',
        'X-Original-URI': path,
        'X-Original-Method': 'GET',
        'X-Original-Host': API_HOST,
        'X-Original-Client-IP': '203.0.113.9',
        ...(apiKey === undefined ? {} : { Authorization: `Bearer ${apiKey}` }),
      },
      timeoutMs: 3000,
    }).catch(() => ({ status: 0 }))
    return reply.status
  }

  async function primaryVersion(): Promise<number> {
    const db = createDb(pair.standby.url('gatekeeper'), { max: 1 })
    try {
      const { rows } = await db.pool.query<{ v: string }>('SELECT version::text AS v FROM config_state WHERE id = 1')
      return Number(rows[0]?.v ?? 0)
    } finally {
      await db.close()
    }
  }

  it('authz decides throughout and misses no committed change; console-api answers 503 during the switch', async () => {
    // A route that needs an API key, a client allowed on it.
    const route = await ok('POST', '/routes', {
      route_pattern: KEYED,
      domain: API_HOST,
      service_name: 'failover',
      methods: { GET: { auth_required: true, auth_type: 'api_key' } },
    })
    const client = await ok('POST', '/clients', { client_name: 'failover-client', api_key: true, shared_secret: false })
    const apiKey = String(client.api_key)
    await ok('POST', '/permissions', {
      client_id: client.client_id,
      route_id: route.route_id,
      allowed_methods: ['GET'],
    })
    await waitFor(
      'authz allows the client',
      async () => ((await decide(KEYED, apiKey)) === 200 ? true : undefined),
      10_000,
    )

    // Load: decisions as fast as one connection at a time goes, and writes (each a new public route) one after another.
    const decisions: Outcome[] = []
    const writes: Outcome[] = []
    const acknowledged: string[] = []
    let running = true
    const decisionLoop = (async () => {
      while (running) {
        const started = performance.now()
        const status = await decide(KEYED, apiKey)
        decisions.push({ at: Date.now(), status, ms: performance.now() - started, body: '' })
        await sleep(5)
      }
    })()
    const writeLoop = (async () => {
      for (let n = 0; running; n++) {
        const path = `/f/${n}`
        const reply = await admin('POST', '/routes', {
          route_pattern: path,
          domain: API_HOST,
          service_name: 'failover',
          methods: { GET: { auth_required: false, auth_type: null } },
        })
        writes.push(reply)
        if (reply.status === 201) acknowledged.push(path)
        await sleep(20)
      }
    })()

    await sleep(1500)
    const crashedAt = Date.now()
    pair.primary.stop('immediate') // a crash: no shutdown checkpoint, every connection cut
    await sleep(2000) // no host accepts writes: the standby is still in recovery
    const promoteAt = Date.now()
    pair.standby.promote()
    const promotedAt = Date.now()
    // Wait for writes to work again, then keep the load on a little longer.
    await waitFor(
      'a write acknowledged after the promotion',
      async () => (writes.some((w) => w.at > promotedAt && w.status === 201) ? true : undefined),
      15_000,
    )
    const recoveredAt = writes.find((w) => w.at > promotedAt && w.status === 201)?.at ?? 0
    await sleep(1000)
    running = false
    await Promise.all([decisionLoop, writeLoop])

    // authz decided every request from memory, before, during and after the switch.
    const wrong = decisions.filter((d) => d.status !== 200)
    expect(wrong).toEqual([])
    expect(decisions.filter((d) => d.at > crashedAt && d.at < promotedAt).length).toBeGreaterThan(20)

    // console-api: 201 or a clean 503 with the error envelope, never a 500, never a hang.
    const statuses = new Set(writes.map((w) => w.status))
    expect([...statuses].sort()).toEqual([201, 503])
    const unavailable = writes.filter((w) => w.status === 503)
    expect(unavailable.every((w) => JSON.parse(w.body).error === 'service_unavailable')).toBe(true)
    expect(Math.max(...writes.map((w) => w.ms))).toBeLessThan(6000)
    expect(writes.filter((w) => w.at > recoveredAt).every((w) => w.status === 201)).toBe(true)

    // Every acknowledged write (before the crash, and on the new primary) reaches authz; versions agree.
    const target = await primaryVersion()
    await waitFor(
      `authz at the new primary's version ${target}`,
      async () => ((await apps.authz.configVersion()) === target ? true : undefined),
      10_000,
    )
    const decidedAcknowledged = await Promise.all(acknowledged.map((path) => decide(path)))
    expect(decidedAcknowledged.filter((s) => s !== 200)).toEqual([])
    const health = JSON.parse((await send({ port: apps.authz.port, path: '/health', headers: { Host: 'authz' } })).body)
    expect(health.postgres).toBe('up')

    // A change committed on the new primary after the promotion reaches authz: the client is suspended.
    await ok('PUT', `/clients/${String(client.client_id)}`, { status: 'suspended' })
    await waitFor(
      'authz refuses the suspended client',
      async () => ((await decide(KEYED, apiKey)) === 403 ? true : undefined),
      15_000,
    )

    console.info(
      `postgres failover: ${decisions.length} decisions (all 200), ${writes.length} writes: ${acknowledged.length} acknowledged, ` +
        `${unavailable.length} answered 503 (slowest ${Math.round(Math.max(...writes.map((w) => w.ms)))} ms); ` +
        `primary crashed at +0 ms, promote at +${promoteAt - crashedAt} ms, promotion done at +${promotedAt - crashedAt} ms, ` +
        `first write acknowledged at +${recoveredAt - crashedAt} ms`,
    )
  }, 38_000)
})
