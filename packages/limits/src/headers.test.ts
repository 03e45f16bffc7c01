import { describe, expect, it } from 'vitest'
import { rateLimitHeaders } from './headers'
import type { PolicyState } from './types'

const minute: PolicyState = { name: 'minute', limit: 100, windowSeconds: 60, remaining: 42, resetSeconds: 17 }
const day: PolicyState = { name: 'day', limit: 10000, windowSeconds: 86400, remaining: 9000, resetSeconds: 1440 }

describe('rateLimitHeaders', () => {
  it('lists every policy in RateLimit-Policy and RateLimit (draft-11 structured fields) and the tightest as X-RateLimit-*', () => {
    expect(rateLimitHeaders({ outcome: 'allowed', policies: [minute, day] })).toEqual({
      'RateLimit-Policy': '"minute";q=100;w=60, "day";q=10000;w=86400',
      RateLimit: '"minute";r=42;t=17, "day";r=9000;t=1440',
      'X-RateLimit-Limit': '100',
      'X-RateLimit-Remaining': '42',
      'X-RateLimit-Reset': '17',
    })
  })

  it('picks the policy with the least remaining quota for the X- fields, the slower one on a tie', () => {
    const nearlyDone = { ...day, remaining: 3 }
    expect(rateLimitHeaders({ outcome: 'allowed', policies: [minute, nearlyDone] })['X-RateLimit-Limit']).toBe('10000')
    const tie = rateLimitHeaders({
      outcome: 'allowed',
      policies: [
        { ...minute, remaining: 0 },
        { ...day, remaining: 0 },
      ],
    })
    expect(tie['X-RateLimit-Reset']).toBe('1440')
  })

  it('adds Retry-After when rate limited', () => {
    const limited = { ...minute, remaining: 0 }
    expect(rateLimitHeaders({ outcome: 'rate_limited', policies: [limited], retryAfterSeconds: 17 })).toEqual({
      'RateLimit-Policy': '"minute";q=100;w=60',
      RateLimit: '"minute";r=0;t=17',
      'X-RateLimit-Limit': '100',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': '17',
      'Retry-After': '17',
    })
  })

  it('emits nothing when no policy applied, the store failed open, or the request was not counted', () => {
    expect(rateLimitHeaders({ outcome: 'allowed', policies: [] })).toEqual({})
    expect(rateLimitHeaders({ outcome: 'allowed', policies: [], failedOpen: 'rate_limit' })).toEqual({})
    expect(rateLimitHeaders({ outcome: 'replayed' })).toEqual({})
    expect(rateLimitHeaders({ outcome: 'unavailable', which: 'nonce' })).toEqual({})
  })
})
