import { createMemoryAdmissionStore } from '@gatekeeper/limits'
import { describe, expect, it } from 'vitest'
import { admissionFromStore } from './admission'

describe('admissionFromStore (memory store)', () => {
  it('maps allowed / rate_limited with the RateLimit fields, and replays', async () => {
    const admission = admissionFromStore(createMemoryAdmissionStore({ sweepIntervalMs: 0 }))
    const limits = { perDay: null, perMinute: 2 }
    const first = await admission.admit({ clientId: 'c1', limits })
    expect(first).toMatchObject({ outcome: 'allowed' })
    expect(first.outcome === 'allowed' && first.headers?.RateLimit).toMatch(/^"minute";r=1;t=\d+$/)
    expect(first.outcome === 'allowed' && first.headers?.['RateLimit-Policy']).toBe('"minute";q=2;w=60')
    await admission.admit({ clientId: 'c1', limits })
    const third = await admission.admit({ clientId: 'c1', limits })
    expect(third).toMatchObject({ outcome: 'rate_limited' })
    if (third.outcome !== 'rate_limited') throw new Error('unreachable')
    expect(third.retryAfterSeconds).toBeGreaterThan(0)
    expect(third.headers?.['Retry-After']).toBe(String(third.retryAfterSeconds))

    const nonce = { value: 'nonce-abcdefgh', ttlSeconds: 600 }
    expect(await admission.admit({ clientId: 'c2', nonce })).toEqual({ outcome: 'allowed', headers: {} })
    expect(await admission.admit({ clientId: 'c2', nonce })).toEqual({ outcome: 'replayed' })
    // Another client's identical nonce is its own.
    expect(await admission.admit({ clientId: 'c3', nonce })).toMatchObject({ outcome: 'allowed' })
  })

  it('a full store fails by its mode: closed for nonces, open (and flagged) for limits', async () => {
    const admission = admissionFromStore(
      createMemoryAdmissionStore({ maxNonces: 0, maxCounters: 0, sweepIntervalMs: 0 }),
    )
    expect(await admission.admit({ clientId: 'c', nonce: { value: 'nonce-12345678', ttlSeconds: 60 } })).toEqual({
      outcome: 'unavailable',
      which: 'nonce',
    })
    expect(await admission.admit({ clientId: 'c', limits: { perDay: 5, perMinute: null } })).toMatchObject({
      outcome: 'allowed',
      failedOpen: 'rate_limit',
    })
  })
})
