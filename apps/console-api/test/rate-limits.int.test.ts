import { randomUUID } from 'node:crypto'
import type { AuditEntryWire, RateLimitUsageWire, RateLimitWire } from '@gatekeeper/models'
import { describe, expect, it } from 'vitest'
import { callApp, json, must, SYSTEM_ACTOR, useAdminHarness } from './harness'

const { h, admin: session } = useAdminHarness()

const LIMIT_KEYS = ['client_id', 'client_name', 'requests_per_day', 'requests_per_minute', 'created_at', 'updated_at']

async function newClient() {
  const client = await h.ops.clients.create(SYSTEM_ACTOR, {
    client_name: `rl-${randomUUID().slice(0, 8)}`,
    api_key: true,
  })
  return client.client_id
}

describe('rate limits', () => {
  it('sets, lists (compatible shape), changes and clears a limit', async () => {
    const clientId = await newClient()
    const path = `/api/admin/rate-limits/${clientId}`
    const set = await h.call('PUT', path, { token: session.token, json: { requests_per_day: 1000 } })
    expect(set.status).toBe(200)
    expect(await json<RateLimitWire>(set)).toMatchObject({ requests_per_day: 1000, requests_per_minute: null })

    const changed = await json<RateLimitWire>(
      await h.call('PUT', path, { token: session.token, json: { requests_per_minute: 10 } }),
    )
    expect(changed).toMatchObject({ requests_per_day: 1000, requests_per_minute: 10 })

    const list = await json<RateLimitWire[]>(await h.call('GET', '/api/admin/rate-limits', { token: session.token }))
    const listed = must(list.find((l) => l.client_id === clientId))
    expect(Object.keys(listed)).toEqual(LIMIT_KEYS)

    const cleared = await h.call('DELETE', path, { token: session.token })
    expect(cleared.status).toBe(204)
    expect(await cleared.text()).toBe('')
    expect((await h.call('DELETE', path, { token: session.token })).status).toBe(404)

    const audit = await json<AuditEntryWire[]>(
      await h.call('GET', `/api/admin/audit?entity_type=rate_limit&entity_id=${clientId}`, { token: session.token }),
    )
    expect(audit.map((a) => a.action)).toEqual(['rate_limit.clear', 'rate_limit.set', 'rate_limit.set'])
  })

  it('validates limits (400) and 404s unknown clients', async () => {
    const clientId = await newClient()
    const path = `/api/admin/rate-limits/${clientId}`
    for (const body of [
      {},
      { requests_per_day: 0 },
      { requests_per_minute: 1.5 },
      { requests_per_day: '10' },
      { requests_per_day: null },
    ]) {
      expect((await h.call('PUT', path, { token: session.token, json: body })).status).toBe(400)
    }
    expect(
      (
        await h.call('PUT', `/api/admin/rate-limits/${randomUUID()}`, {
          token: session.token,
          json: { requests_per_day: 5 },
        })
      ).status,
    ).toBe(404)
    expect(
      (await h.call('PUT', '/api/admin/rate-limits/bad-id', { token: session.token, json: { requests_per_day: 5 } }))
        .status,
    ).toBe(404)
  })

  it('reports usage as authz counts it', async () => {
    const clientId = await newClient()
    await h.call('PUT', `/api/admin/rate-limits/${clientId}`, {
      token: session.token,
      json: { requests_per_day: 100, requests_per_minute: 10 },
    })
    const limits = { perDay: 100, perMinute: 10 }
    for (let i = 0; i < 3; i++) await h.store.admit({ clientId, limits })
    const res = await h.call('GET', `/api/admin/rate-limits/${clientId}/usage`, { token: session.token })
    expect(res.status).toBe(200)
    const usage = await json<RateLimitUsageWire>(res)
    expect(Object.keys(usage)).toEqual(['client_id', 'used_day', 'remaining_day', 'used_minute', 'remaining_minute'])
    expect(usage).toEqual({ client_id: clientId, used_day: 3, remaining_day: 97, used_minute: 3, remaining_minute: 7 })
  })

  it('reports zero usage for a client without limits, 404 for an unknown client', async () => {
    const clientId = await newClient()
    const usage = await json<RateLimitUsageWire>(
      await h.call('GET', `/api/admin/rate-limits/${clientId}/usage`, { token: session.token }),
    )
    expect(usage).toEqual({
      client_id: clientId,
      used_day: 0,
      remaining_day: null,
      used_minute: 0,
      remaining_minute: null,
    })
    expect((await h.call('GET', `/api/admin/rate-limits/${randomUUID()}/usage`, { token: session.token })).status).toBe(
      404,
    )
  })

  it('answers 503 when the rate-limit store cannot answer', async () => {
    const broken = h.withEnv({}, { usage: { usage: () => Promise.reject(new Error('ECONNREFUSED')) } })
    const clientId = await newClient()
    await h.call('PUT', `/api/admin/rate-limits/${clientId}`, { token: session.token, json: { requests_per_day: 5 } })
    const res = await callApp(broken, 'GET', `/api/admin/rate-limits/${clientId}/usage`, { token: session.token })
    expect(res.status).toBe(503)
    expect(await res.text()).not.toContain('ECONNREFUSED')
  })
})
