import type { AdmissionStore, AdmitResult } from '@gatekeeper/limits'
import { Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { createAuthThrottle } from './auth-throttle'
import { createMetrics } from './metrics'

function storeAnswering(result: AdmitResult): AdmissionStore & { keys: string[] } {
  const keys: string[] = []
  return {
    keys,
    admit: async (req) => {
      keys.push(req.clientId)
      return result
    },
    usage: () => Promise.reject(new Error('unused')),
    state: () => 'up',
    close: async () => {},
  }
}

describe('createAuthThrottle', () => {
  it('lets a call through when the store cannot answer, and counts it', async () => {
    const metrics = createMetrics(new Registry(), { defaultMetrics: false })
    const results: AdmitResult[] = [
      { outcome: 'unavailable', which: 'rate_limit' },
      { outcome: 'allowed', policies: [], failedOpen: 'rate_limit' },
    ]
    for (const result of results) {
      const throttle = createAuthThrottle({ store: storeAnswering(result), ipPerMinute: 1, emailPerMinute: 1, metrics })
      expect(await throttle.check('login', { ip: '203.0.113.1', email: 'a@example.com' })).toEqual({ ok: true })
    }
    expect(await metrics.registry.getSingleMetricAsString('console_auth_throttle_errors_total')).toMatch(/ 4$/m)
  })

  it('keys the store by digests, never the address or the email', async () => {
    const metrics = createMetrics(new Registry(), { defaultMetrics: false })
    const store = storeAnswering({ outcome: 'allowed', policies: [] })
    const throttle = createAuthThrottle({ store, ipPerMinute: 5, emailPerMinute: 5, metrics })
    await throttle.check('login', { ip: '203.0.113.1', email: 'a@example.com' })
    expect(store.keys).toHaveLength(2)
    for (const key of store.keys) {
      expect(key).toMatch(/^auth-(ip|email):[0-9a-f]{32}$/)
    }
  })

  it('reports the refusing key and a whole-second Retry-After', async () => {
    const metrics = createMetrics(new Registry(), { defaultMetrics: false })
    const store = storeAnswering({ outcome: 'rate_limited', policies: [], retryAfterSeconds: 0.2 })
    const throttle = createAuthThrottle({ store, ipPerMinute: 0, emailPerMinute: 3, metrics })
    expect(await throttle.check('register', { ip: 'unknown', email: 'a@example.com' })).toEqual({
      ok: false,
      key: 'email',
      retryAfterSeconds: 1,
    })
    expect(await throttle.check('register', { ip: 'unknown', email: null })).toEqual({ ok: true })
  })
})
