import { type AuthzProcess, startAuthz } from '@gatekeeper/testkit/apps'
import { countKeys, PrivateRedis } from '@gatekeeper/testkit/redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ACTOR, API_KEY, routeWithClient, useWorld } from './harness'

// authz started from nothing but an original (Flask) deployment's .env and the master key: the database, Redis
// (with its database number), the port and the trusted forwarders all come from the original's variable names.

const world = useWorld()
let redis: PrivateRedis
let authz: AuthzProcess

beforeAll(async () => {
  redis = await PrivateRedis.start()
  const db = new URL(world.db.url)
  const env: Record<string, string> = {
    POSTGRES_HOST: db.hostname,
    POSTGRES_PORT: db.port || '5432',
    API_AUTH_ADMIN_PG_DB: db.pathname.slice(1),
    API_AUTH_ADMIN_PG_USER: decodeURIComponent(db.username),
    REDIS_HOST: '127.0.0.1',
    REDIS_PORT: String(redis.port),
    REDIS_DB: '5',
    TRUSTED_FORWARDER_IPS: '127.0.0.1',
    GATEKEEPER_MASTER_KEY: world.masterKey,
    CONFIG_POLL_INTERVAL_MS: '200',
  }
  if (db.password !== '') env.API_AUTH_ADMIN_PG_PASSWORD = decodeURIComponent(db.password)
  authz = await startAuthz({ inheritEnv: false, portVar: 'PORT', env, readyTimeoutMs: 90_000 })
}, 120_000)
afterAll(async () => {
  await authz?.stop()
  await redis?.stop()
})

describe("an original deployment's .env", () => {
  it('runs authz on PORT, against its database and Redis database, trusting its forwarders', async () => {
    const { host, client, route } = await routeWithClient(
      world.admin,
      { route_pattern: '/orders/*', service_name: 'orders', methods: { GET: API_KEY } },
      { client_name: 'from-flask', api_key: true },
    )
    await world.admin.rateLimits.set(ACTOR, client.client_id, { requests_per_day: 1 })
    const ask = (requestId: string) =>
      fetch(`${authz.url}/authz`, {
        headers: {
          'X-Original-URI': '/orders/7',
          'X-Original-Method': 'GET',
          'X-Original-Host': host,
          Authorization: `Bearer ${client.api_key}`,
          'X-Original-Client-IP': '198.51.100.42',
          'X-Request-ID': requestId,
        },
      })
    // The rate limit is the last change: once it applies, authz has the whole configuration.
    let first = await ask('flask-env-1')
    for (let i = 0; i < 100 && first.headers.get('x-ratelimit-limit') !== '1'; i++) {
      await new Promise((r) => setTimeout(r, 100))
      first = await ask(`flask-env-1-${i}`)
    }
    expect(first.status).toBe(200)
    expect(first.headers.get('x-route-id')).toBe(route.route_id)
    expect(first.headers.get('x-client-id')).toBe(client.client_id)
    // 127.0.0.1 is in TRUSTED_FORWARDER_IPS, so its X-Original-Client-IP names the client.
    expect((await authz.auditFor(first.headers.get('x-request-id') ?? '')).client_ip).toBe('198.51.100.42')
    expect((await ask('flask-env-2')).status).toBe(429)
    // Counted in REDIS_DB 5 of REDIS_HOST:REDIS_PORT, nowhere else.
    expect(await countKeys('gk:', `${redis.url}/5`)).toBeGreaterThan(0)
    expect(await countKeys('gk:', `${redis.url}/0`)).toBe(0)
  })
})
