// Last-used times and per-client usage from real authz processes (the bundle, as deployed) on one database:
// a key accepted just before a graceful stop has its last-used time after a restart, and two replicas' counts
// add up in the admin API's usage answer.

import { describe, expect, it } from 'vitest'
import { type RunningBundle, useBundle } from './bundle'
import { ACTOR, API_KEY, bearer, createRoute, eventually, grantedClient, original, uniqueHost } from './harness'

const bundle = useBundle()
const { world } = bundle

const start = (env: Record<string, string> = {}) =>
  bundle.start({ CONFIG_POLL_INTERVAL_MS: '500', AUDIT_LOG: 'false', SHUTDOWN_GRACE_MS: '2000', ...env })

type Ask = RunningBundle['decision']

async function stop(r: RunningBundle): Promise<void> {
  r.child.kill('SIGTERM')
  expect(await r.exited).toBe(0)
}

async function times(n: number, ask: Ask, headers: Record<string, string>, expected: string): Promise<void> {
  for (let i = 0; i < n; i++) expect(await ask(headers)).toBe(expected)
}

/** A route with GET and POST on API keys, and a client with a key (granted `methods` on it when given). */
async function clientOnRoute(host: string, routeId: string, name: string, methods?: Array<'GET' | 'POST'>) {
  const body = { client_name: name, api_key: true }
  const created =
    methods === undefined
      ? await world.admin.clients.create(ACTOR, body)
      : await grantedClient(world.admin, routeId, body, methods)
  const auth = bearer(created)
  return {
    id: created.client_id,
    get: original('GET', host, '/u/1', auth),
    post: original('POST', host, '/u/1', auth),
  }
}

async function route(host: string) {
  return createRoute(world.admin, host, {
    route_pattern: '/u/*',
    service_name: 'usage',
    methods: { GET: API_KEY, POST: API_KEY },
  })
}

describe('usage tracking across authz processes', () => {
  it('a key accepted just before a graceful stop has its last-used time after a restart', async () => {
    const host = uniqueHost()
    const r = await route(host)
    const a = await clientOnRoute(host, r.route_id, 'restart-client', ['GET'])
    // A flush interval far longer than the test: only the shutdown flush can write the time.
    const first = await start({ AUTHZ_USAGE_FLUSH_INTERVAL_MS: '3600000' })
    const before = Math.floor(Date.now() / 1000)
    await eventually(async () => (await first.decision(a.get)) === '200 authenticated', 5000)
    const after = Math.ceil(Date.now() / 1000)
    expect((await world.admin.clients.get(a.id)).last_used_at).toBeNull()
    await stop(first)

    const second = await start({ AUTHZ_USAGE_FLUSH_INTERVAL_MS: '3600000' })
    const detail = await world.admin.clients.get(a.id)
    const used = detail.credentials?.[0]?.last_used_at ?? 0
    expect(used).toBeGreaterThanOrEqual(before)
    expect(used).toBeLessThanOrEqual(after)
    expect(detail.last_used_at).toBe(used)
    expect((await world.admin.clients.usage(a.id)).totals.allowed).toBeGreaterThanOrEqual(1)
    // Used within the last hour: not in the list of clients unused for an hour.
    const unused = await world.admin.clients.list({ unused_for: '1h' })
    expect(unused.map((c) => c.client_id)).not.toContain(a.id)
    await stop(second)
  }, 60_000)

  it('two replicas count into the same hours: the usage answer holds the sum of both', async () => {
    const host = uniqueHost()
    const r = await route(host)
    const a = await clientOnRoute(host, r.route_id, 'usage-a', ['GET']) // POST: method_not_allowed
    const b = await clientOnRoute(host, r.route_id, 'usage-b') // no grant: no_permission
    const c = await clientOnRoute(host, r.route_id, 'usage-c', ['GET'])
    await world.admin.rateLimits.set(ACTOR, c.id, { requests_per_minute: 2 }) // per replica: in-memory limits
    const unknown = original('GET', host, '/u/1', { Authorization: 'Bearer gk_unknownkeyunknownkey' })

    const startedHour = Math.floor(Date.now() / 1000 / 3600) * 3600
    const [p1, p2] = await Promise.all([
      start({ AUTHZ_USAGE_FLUSH_INTERVAL_MS: '200' }),
      start({ AUTHZ_USAGE_FLUSH_INTERVAL_MS: '200' }),
    ])
    for (const p of [p1, p2]) {
      await eventually(async () => (await p.decision(a.get)) === '200 authenticated', 5000)
      await eventually(async () => (await p.decision(c.get)) === '200 authenticated', 5000)
    }
    // With the warm-up above: p1 has A 1+4 allowed, p2 A 1+6; C 1 allowed on each before the rest below.
    await times(4, p1.decision, a.get, '200 authenticated')
    await times(3, p1.decision, a.post, '403 method_not_allowed')
    await times(2, p1.decision, b.get, '403 no_permission')
    await times(1, p1.decision, c.get, '200 authenticated')
    await times(2, p1.decision, c.get, '429 rate_limit_exceeded')
    await times(3, p1.decision, unknown, '401 invalid_credentials')
    await times(6, p2.decision, a.get, '200 authenticated')
    await times(1, p2.decision, a.post, '403 method_not_allowed')
    await times(1, p2.decision, b.get, '403 no_permission')
    await times(1, p2.decision, c.get, '200 authenticated')
    await times(3, p2.decision, c.get, '429 rate_limit_exceeded')

    const expectedA = { allowed: 12, refused: 4, rate_limited: 0 }
    await eventually(async () => {
      const u = await world.admin.clients.usage(a.id)
      return JSON.stringify(u.totals) === JSON.stringify(expectedA)
    }, 10_000)
    const usageA = await world.admin.clients.usage(a.id, { window: '24h' })
    expect(usageA.bucket_seconds).toBe(3600)
    expect(usageA.buckets).toHaveLength(24)
    const hour = Math.floor(Date.now() / 1000 / 3600) * 3600
    expect(usageA.buckets.map((x) => x.start)).toEqual(Array.from({ length: 24 }, (_, i) => hour - (23 - i) * 3600))
    // (Counted across an hour boundary, the requests would be split over two buckets: checked only when not.)
    if (hour === startedHour) {
      expect(usageA.buckets.at(-1)).toEqual({
        start: hour,
        allowed: 12,
        refused: 4,
        rate_limited: 0,
        refused_by_reason: { method_not_allowed: 4 },
      })
      expect(usageA.buckets.slice(0, -1).every((x) => x.allowed + x.refused + x.rate_limited === 0)).toBe(true)
    }

    await eventually(async () => (await world.admin.clients.usage(c.id)).totals.rate_limited === 5, 10_000)
    expect((await world.admin.clients.usage(c.id)).totals).toEqual({ allowed: 4, refused: 0, rate_limited: 5 })
    await eventually(async () => (await world.admin.clients.usage(b.id)).totals.refused === 3, 10_000)
    const usageB = await world.admin.clients.usage(b.id, { window: '30d' })
    expect(usageB).toMatchObject({ window: '30d', bucket_seconds: 86_400, totals: { allowed: 0, refused: 3 } })
    expect(usageB.buckets).toHaveLength(30)
    const reasonsB = usageB.buckets.flatMap((x) => Object.entries(x.refused_by_reason))
    expect(reasonsB.reduce((n, [reason, k]) => (reason === 'no_permission' ? n + k : n), 0)).toBe(3)

    await Promise.all([stop(p1), stop(p2)])
    // Nothing counted after the stops changes the sums (the shutdown flush had nothing left to add twice).
    expect((await world.admin.clients.usage(a.id)).totals).toEqual(expectedA)
  }, 90_000)
})
