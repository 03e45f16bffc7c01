// A client's IP allowlist set through the admin operations (real Postgres) reaches a running authz by
// LISTEN/NOTIFY and is checked against the client IP authz resolves: X-Original-Client-IP from a trusted
// forwarder (the test's own socket, 127.0.0.1), never X-Real-IP or X-Forwarded-For.

import { describe, expect, it } from 'vitest'
import { ACTOR, API_KEY, bearer, eventually, original, routeWithClient, useAuthz } from './harness'

const { world, authz } = useAuthz({ TRUSTED_FORWARDER_IPS: '127.0.0.1,::1' })
const decision = (headers: Record<string, string>) => authz.decision(headers)

describe('IP allowlist in a running authz', () => {
  it('refuses a verified key from outside the list with 403 ip_not_allowed, follows updates and a clear', async () => {
    const { host, client: created } = await routeWithClient(
      world.admin,
      { route_pattern: '/v1/*', service_name: 'svc', methods: { GET: API_KEY } },
      { client_name: 'office-only', api_key: true, ip_allowlist: ['198.51.100.0/24', '2001:db8:1::/48'] },
    )
    expect(created.ip_allowlist).toEqual(['198.51.100.0/24', '2001:db8:1::/48'])
    const key = bearer(created)
    const from = (ip: string) => original('GET', host, '/v1/x', { ...key, 'X-Original-Client-IP': ip })
    await eventually(async () => (await decision(from('198.51.100.20'))) === '200 authenticated', 5000)

    expect(await decision(from('2001:db8:1:7::9'))).toBe('200 authenticated')
    expect(await decision(from('203.0.113.5'))).toBe('403 ip_not_allowed')
    expect(await decision(from('2001:db8:2::1'))).toBe('403 ip_not_allowed')
    // Without X-Original-Client-IP the caller is its socket (127.0.0.1): a listed address in X-Real-IP or
    // X-Forwarded-For does not make it one.
    const claimed = original('GET', host, '/v1/x', {
      ...key,
      'X-Real-IP': '198.51.100.7',
      'X-Forwarded-For': '198.51.100.7, 10.0.0.1',
    })
    expect(await decision(claimed)).toBe('403 ip_not_allowed')
    // A wrong key from outside the list learns only that it is not a key.
    const wrong = original('GET', host, '/v1/x', {
      Authorization: 'Bearer gk_live_nope',
      'X-Original-Client-IP': '203.0.113.5',
    })
    expect((await decision(wrong)).startsWith('401 ')).toBe(true)

    await world.admin.clients.update(ACTOR, created.client_id, { ip_allowlist: ['203.0.113.0/24'] })
    await eventually(async () => (await decision(from('203.0.113.5'))) === '200 authenticated', 5000)
    expect(await decision(from('198.51.100.20'))).toBe('403 ip_not_allowed')

    await world.admin.clients.update(ACTOR, created.client_id, { ip_allowlist: null })
    await eventually(async () => (await decision(from('198.51.100.20'))) === '200 authenticated', 5000)
    expect(await decision(from('192.0.2.1'))).toBe('200 authenticated')
  })
})
