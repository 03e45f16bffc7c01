import { describe, expect, it } from 'vitest'
import { expiresAtMillis } from '../api/auth'
import { createTokenStore, type KeyValueStorage } from './token-store'

function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>()
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  }
}

describe('token store', () => {
  it('survives a reload of the tab through its storage, and forgets on clear', () => {
    const storage = memoryStorage()
    createTokenStore(storage).save({ token: 't', email: 'a@b.c', expiresAt: null })
    const reloaded = createTokenStore(storage)
    expect(reloaded.load(Date.now())?.token).toBe('t')
    reloaded.clear()
    expect(storage.data.size).toBe(0)
    expect(createTokenStore(storage).load(Date.now())).toBeNull()
  })

  it('drops a stored session that has expired', () => {
    const storage = memoryStorage()
    createTokenStore(storage).save({ token: 't', email: 'a@b.c', expiresAt: 1000 })
    expect(createTokenStore(storage).load(1000)).toBeNull()
    expect(storage.data.size).toBe(0)
  })

  it('works in memory when storage is unavailable or holds garbage', () => {
    const store = createTokenStore(null)
    store.save({ token: 't', email: 'a@b.c', expiresAt: null })
    expect(store.token()).toBe('t')
    const storage = memoryStorage()
    storage.setItem('gatekeeper.console.session', '{not json')
    expect(createTokenStore(storage).load(0)).toBeNull()
  })
})

describe('expiresAtMillis', () => {
  it('reads epoch seconds, milliseconds and ISO dates', () => {
    expect(expiresAtMillis(1_700_000_000)).toBe(1_700_000_000_000)
    expect(expiresAtMillis(1_700_000_000_000)).toBe(1_700_000_000_000)
    expect(expiresAtMillis('1700000000')).toBe(1_700_000_000_000)
    expect(expiresAtMillis('2023-11-14T22:13:20Z')).toBe(1_700_000_000_000)
    expect(expiresAtMillis('soon')).toBeNull()
    expect(expiresAtMillis(undefined)).toBeNull()
  })
})
