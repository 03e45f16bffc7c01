import { z } from 'zod'

export type StoredSession = {
  token: string
  email: string
  /** Epoch milliseconds, when Aegis said; null when it did not. */
  expiresAt: number | null
}

const storedSessionSchema = z.object({
  token: z.string().min(1),
  email: z.string(),
  expiresAt: z.number().nullable(),
})

const STORAGE_KEY = 'gatekeeper.console.session'

export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>

/**
 * Where the Aegis token lives: in memory, mirrored to sessionStorage so a reload of the same tab keeps
 * the admin signed in. Never localStorage: a bearer token there outlives the tab and the browser
 * session, is shared by every tab of the origin, and stays on disk after the admin walks away. With
 * sessionStorage it dies with the tab, and the exposure to script injection is no larger than the
 * in-memory copy the app must keep anyway. (An HttpOnly cookie would keep it from scripts too, but the
 * admin API takes a Bearer header, so the console has to hold it.)
 */
export function createTokenStore(storage: KeyValueStorage | null) {
  let current: StoredSession | null = null

  function read(): StoredSession | null {
    if (storage === null) return null
    try {
      const raw = storage.getItem(STORAGE_KEY)
      if (raw === null) return null
      const parsed = storedSessionSchema.safeParse(JSON.parse(raw))
      return parsed.success ? parsed.data : null
    } catch {
      return null
    }
  }

  return {
    /** The stored session if it has not expired by `now`. */
    load(now: number): StoredSession | null {
      current ??= read()
      if (current !== null && current.expiresAt !== null && current.expiresAt <= now) {
        this.clear()
      }
      return current
    },
    save(session: StoredSession): void {
      current = session
      try {
        storage?.setItem(STORAGE_KEY, JSON.stringify(session))
      } catch {
        // Storage full or disabled (private mode): the in-memory copy still works for this page.
      }
    },
    clear(): void {
      current = null
      try {
        storage?.removeItem(STORAGE_KEY)
      } catch {
        // Nothing to clean up if storage is unavailable.
      }
    },
    token(): string | null {
      return current?.token ?? null
    },
  }
}

export type TokenStore = ReturnType<typeof createTokenStore>

/** sessionStorage when the browser allows it (some privacy modes throw on access). */
export function browserSessionStorage(): KeyValueStorage | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage
  } catch {
    return null
  }
}
