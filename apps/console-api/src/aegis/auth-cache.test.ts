import { describe, expect, it } from 'vitest'
import { createAuthCache } from './auth-cache'

const identity = (n: number) => ({ adminId: `id-${n}`, email: `a${n}@example.com`, aegisUserId: `u-${n}` })

describe('createAuthCache', () => {
  it('returns an entry until its TTL has passed', () => {
    let now = 1_000_000
    const cache = createAuthCache({ ttlSeconds: 60, now: () => now })
    cache.set('token-a', identity(1))
    expect(cache.get('token-a')).toEqual(identity(1))
    expect(cache.get('token-b')).toBeUndefined()
    now += 59_999
    expect(cache.get('token-a')).toEqual(identity(1))
    now += 1
    expect(cache.get('token-a')).toBeUndefined()
    expect(cache.size()).toBe(0)
  })

  it('keeps nothing when the TTL is 0', () => {
    const cache = createAuthCache({ ttlSeconds: 0, now: () => 0 })
    cache.set('token', identity(1))
    expect(cache.get('token')).toBeUndefined()
    expect(cache.size()).toBe(0)
  })

  it('is bounded: the oldest entry goes first', () => {
    const cache = createAuthCache({ ttlSeconds: 60, maxEntries: 2, now: () => 0 })
    cache.set('t1', identity(1))
    cache.set('t2', identity(2))
    cache.set('t3', identity(3))
    expect(cache.size()).toBe(2)
    expect(cache.get('t1')).toBeUndefined()
    expect(cache.get('t3')).toEqual(identity(3))
  })

  it('forgets everything on clear()', () => {
    const cache = createAuthCache({ ttlSeconds: 60, now: () => 0 })
    cache.set('t1', identity(1))
    cache.clear()
    expect(cache.get('t1')).toBeUndefined()
  })
})
