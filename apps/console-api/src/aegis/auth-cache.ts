import { createHash } from 'node:crypto'
import type { AdminIdentity } from '../context'

export type AuthCacheOptions = {
  /** AEGIS_AUTH_CACHE_TTL_SECONDS; 0 turns the cache off. */
  ttlSeconds: number
  /** Entries kept at most; the oldest goes first when full. */
  maxEntries?: number
  /** Milliseconds since the epoch. */
  now: () => number
}

export type AuthCache = {
  get(token: string): AdminIdentity | undefined
  set(token: string, identity: AdminIdentity): void
  /** Forgets one token (its holder signed out). */
  delete(token: string): void
  /** Forgets everything, e.g. after an admin was removed, so a removal takes effect at once. */
  clear(): void
  size(): number
}

const DEFAULT_MAX_ENTRIES = 10_000

/**
 * Positive admin lookups only (a refusal is never cached, so a newly added admin gets in at once).
 * Keys are SHA-256 digests of the tokens: the raw bearer tokens are never kept in memory longer than
 * the request that carried them.
 */
export function createAuthCache(opts: AuthCacheOptions): AuthCache {
  const ttlMs = opts.ttlSeconds * 1000
  const maxEntries = opts.maxEntries ?? DEFAULT_MAX_ENTRIES
  const entries = new Map<string, { identity: AdminIdentity; expiresAt: number }>()
  const keyOf = (token: string) => createHash('sha256').update(token).digest('base64url')

  return {
    get(token) {
      if (ttlMs <= 0) return undefined
      const key = keyOf(token)
      const entry = entries.get(key)
      if (entry === undefined) return undefined
      if (entry.expiresAt <= opts.now()) {
        entries.delete(key)
        return undefined
      }
      return entry.identity
    },
    set(token, identity) {
      if (ttlMs <= 0) return
      const key = keyOf(token)
      entries.delete(key)
      while (entries.size >= maxEntries) {
        const oldest = entries.keys().next()
        if (oldest.done === true) break
        entries.delete(oldest.value)
      }
      entries.set(key, { identity, expiresAt: opts.now() + ttlMs })
    },
    delete(token) {
      entries.delete(keyOf(token))
    },
    clear() {
      entries.clear()
    },
    size: () => entries.size,
  }
}
