import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react'
import { type Session, SessionContext, type SessionState } from './session-context'
import type { StoredSession, TokenStore } from './token-store'

// setTimeout takes a signed 32-bit delay; a longer one would fire at once.
const MAX_TIMER_MS = 2_147_483_647

type Props = { store: TokenStore; now?: () => number; children: ReactNode }

export function SessionProvider({ store, now = Date.now, children }: Props) {
  const [initial] = useState(() => store.load(now()))
  const [state, setState] = useState<SessionState>(() =>
    initial === null ? { status: 'signed-out' } : { status: 'signed-in', email: initial.email },
  )
  const [expiresAt, setExpiresAt] = useState<number | null>(initial?.expiresAt ?? null)
  const [generation, setGeneration] = useState(0)

  const expire = useCallback(() => {
    store.clear()
    setExpiresAt(null)
    setState((current) => (current.status === 'signed-in' ? { status: 'expired', email: current.email } : current))
  }, [store])

  const signIn = useCallback(
    (session: StoredSession) => {
      store.save(session)
      setExpiresAt(session.expiresAt)
      setState({ status: 'signed-in', email: session.email })
      setGeneration((value) => value + 1)
    },
    [store],
  )

  const signOut = useCallback(() => {
    store.clear()
    setExpiresAt(null)
    setState({ status: 'signed-out' })
  }, [store])

  useEffect(() => {
    if (expiresAt === null) return
    const timer = setTimeout(expire, Math.min(Math.max(expiresAt - now(), 0), MAX_TIMER_MS))
    return () => clearTimeout(timer)
  }, [expiresAt, expire, now])

  const value = useMemo<Session>(
    () => ({ state, generation, signIn, signOut, expire }),
    [state, generation, signIn, signOut, expire],
  )
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}
