import { createContext, useContext } from 'react'
import type { StoredSession } from './token-store'

export type SessionState =
  | { status: 'signed-out' }
  | { status: 'signed-in'; email: string }
  /** The server refused the token (or it reached its expiry): sign in again over the current screen. */
  | { status: 'expired'; email: string }

export type Session = {
  state: SessionState
  /** Bumped on every sign-in, so screens reload what a 401 kept them from loading. */
  generation: number
  signIn(session: StoredSession): void
  signOut(): void
  expire(): void
}

export const SessionContext = createContext<Session | null>(null)

export function useSession(): Session {
  const session = useContext(SessionContext)
  if (session === null) throw new Error('useSession needs a SessionProvider')
  return session
}
