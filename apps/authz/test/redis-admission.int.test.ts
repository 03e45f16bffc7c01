// authz with Redis: rate limits (429 with Retry-After and RateLimit fields) and nonces shared by every
// replica; an HMAC request on a rate-limited client costs one Redis command; Redis down gives the configured
// failure modes (limits open, nonces closed) and /health says so; it recovers by itself.

import { signRequestV1 } from '@gatekeeper/crypto'
import { deleteKeys, PrivateRedis, REDIS_URL, uniquePrefix } from '@gatekeeper/testkit/redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ACTOR,
  API_KEY,
  bearer,
  eventually,
  HMAC,
  original,
  type RunningAuthz,
  routeWithClient,
  useAuthzOn,
  useWorld,
} from './harness'

const world = useWorld()
const prefix = uniquePrefix()

afterAll(async () => {
  await deleteKeys(prefix)
})

/** A route (GET api_key, DELETE hmac), a client with both credentials and a grant, and its limits. */
async function limitedClient(limits: { requests_per_minute?: number; requests_per_day?: number }) {
  const { host, client } = await routeWithClient(
    world.admin,
    { route_pattern: '/lim/*', service_name: 'lim', methods: { GET: API_KEY, DELETE: HMAC } },
    (host) => ({ client_name: `lim-${host}`, api_key: true, shared_secret: true }),
  )
  await world.admin.rateLimits.set(ACTOR, client.client_id, limits)
  const secret = client.shared_secret ?? ''
  return {
    host,
    clientId: client.client_id,
    get: () => original('GET', host, '/lim/1', bearer(client)),
    signed: (nonce?: string) =>
      original('DELETE', host, '/lim/1', {
        Authorization: signRequestV1({
          clientId: client.client_id,
          secret,
          method: 'DELETE',
          path: '/lim/1',
          timestamp: Math.floor(Date.now() / 1000),
          ...(nonce === undefined ? {} : { nonce }),
        }).authorization,
      }),
  }
}

async function untilLimitsLoaded(authzs: RunningAuthz[], clientId: string): Promise<void> {
  await eventually(async () => authzs.every((a) => a.server.manager.current()?.limitSpec(clientId) !== undefined), 1000)
}

describe('shared Redis (TEST_REDIS_URL), two authz replicas', () => {
  const env = { REDIS_URL: REDIS_URL, REDIS_KEY_PREFIX: prefix, REDIS_TIMEOUT_MS: '200' }
  const a = useAuthzOn(world, env)
  const b = useAuthzOn(world, env)

  it('N per minute across both replicas, then 429 with Retry-After and the RateLimit fields', async () => {
    const c = await limitedClient({ requests_per_minute: 4 })
    await untilLimitsLoaded([a, b], c.clientId)
    const remaining: string[] = []
    for (const replica of [a, b, a, b]) {
      const res = await replica.authz(c.get())
      expect(res.status).toBe(200)
      expect(res.headers.get('content-length')).toBe('0')
      expect(res.headers.get('ratelimit-policy')).toBe('"minute";q=4;w=60')
      remaining.push(res.headers.get('x-ratelimit-remaining') ?? '')
    }
    expect(remaining).toEqual(['3', '2', '1', '0'])
    const limited = await b.authz(c.get())
    expect(limited.status).toBe(429)
    expect(limited.headers.get('x-auth-reason')).toBe('rate_limit_exceeded')
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(limited.headers.get('ratelimit-policy')).toBe('"minute";q=4;w=60')
    expect(limited.headers.get('ratelimit')).toMatch(/^"minute";r=0;t=\d+$/)
    expect(await limited.json()).toEqual({ allowed: false, reason: 'rate_limit_exceeded' })
  })

  it('a limit change applies live', async () => {
    const c = await limitedClient({ requests_per_minute: 1 })
    await untilLimitsLoaded([a], c.clientId)
    expect((await a.authz(c.get())).status).toBe(200)
    expect((await a.authz(c.get())).status).toBe(429)
    await world.admin.rateLimits.set(ACTOR, c.clientId, { requests_per_minute: 100 })
    await eventually(async () => (await a.authz(c.get())).status === 200, 1000)
  })

  it('a signed request replayed on the OTHER replica is refused; concurrent replays allow exactly one', async () => {
    const c = await limitedClient({ requests_per_day: 1000 })
    await untilLimitsLoaded([a, b], c.clientId)
    const headers = c.signed()
    expect((await a.authz(headers)).status).toBe(200)
    const replay = await b.authz(headers)
    expect(replay.status).toBe(401)
    expect(replay.headers.get('x-auth-reason')).toBe('replayed_nonce')

    const burst = c.signed()
    const statuses = await Promise.all(
      Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? a : b).authz(burst).then((r) => r.status)),
    )
    expect(statuses.filter((s) => s === 200)).toHaveLength(1)
    expect(statuses.filter((s) => s === 401)).toHaveLength(15)
  })
})

describe('a private Redis we can count and stop', () => {
  let redis: PrivateRedis
  beforeAll(async () => {
    redis = await PrivateRedis.start()
  })
  afterAll(async () => {
    await redis?.stop()
  })
  const a = useAuthzOn(world, () => ({ REDIS_URL: redis.url, REDIS_TIMEOUT_MS: '100' }))

  it('an HMAC request on a rate-limited client costs ONE Redis command (nonce + limits together)', async () => {
    const c = await limitedClient({ requests_per_minute: 100, requests_per_day: 1000 })
    await untilLimitsLoaded([a], c.clientId)
    expect((await a.authz(c.signed())).status).toBe(200) // loads the script (EVALSHA, NOSCRIPT, EVAL)
    const recording = await redis.record()
    const res = await a.authz(c.signed())
    expect(res.status).toBe(200)
    expect(res.headers.get('ratelimit-policy')).toBe('"minute";q=100;w=60, "day";q=1000;w=86400')
    const commands = await recording.stop()
    expect(commands.map((cmd) => cmd[0])).toEqual(['evalsha'])
    // The one call carries the nonce key and both limit keys.
    expect(commands[0]?.filter((arg) => arg.includes(c.clientId))).toHaveLength(3)
  })

  it('Redis down: degraded; rate limits fail open (counted), nonces fail closed (503); recovers', async () => {
    const c = await limitedClient({ requests_per_minute: 100 })
    await untilLimitsLoaded([a], c.clientId)
    expect((await a.health()).body).toMatchObject({ redis: 'up' })

    await redis.stop()
    await eventually(async () => (await a.health()).body.redis === 'down', 3000)
    const health = await a.health()
    expect(health.code).toBe(200)
    expect(health.body).toMatchObject({ status: 'degraded', ready: true, redis: 'down', postgres: 'up' })

    const open = await a.authz(c.get())
    expect(open.status).toBe(200)
    expect(open.headers.get('ratelimit')).toBeNull()
    const closed = await a.authz(c.signed())
    expect(closed.status).toBe(503)
    expect(closed.headers.get('x-auth-reason')).toBe('store_unavailable')
    const metrics = await a.metrics()
    expect(metrics).toMatch(/gatekeeper_authz_fail_open_total\{kind="rate_limit"\} [1-9]/)
    expect(metrics).toMatch(/gatekeeper_authz_redis_errors_total\{op="admit"\} [1-9]/)
    expect(metrics).toMatch(
      /gatekeeper_authz_decisions_total\{result="denied",reason="store_unavailable",method="DELETE"/,
    )
    // Audit lines are written asynchronously, gathered over a few event-loop turns: wait for the last one.
    const decisions = () => a.logs.lines.filter((l) => l.msg === 'authz decision')
    await eventually(async () => decisions().at(-1)?.reason === 'store_unavailable', 2000, 10)
    expect(decisions().at(-2)).toMatchObject({ allowed: true, detail: 'rate_limit_failed_open' })

    await redis.start()
    await eventually(async () => (await a.authz(c.signed())).status === 200, 5000, 100)
    expect((await a.health()).body).toMatchObject({ status: 'ok' })
  })
})
