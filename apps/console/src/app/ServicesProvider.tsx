import { type ReactNode, useMemo, useRef } from 'react'
import { createAdminApi } from '../api/admin'
import { createAuthApi } from '../api/auth'
import { createHttpClient, type FetchLike } from '../api/http'
import { useSession } from '../session/session-context'
import type { TokenStore } from '../session/token-store'
import { type Services, ServicesContext } from './services-context'

type Props = { fetch: FetchLike; store: TokenStore; children: ReactNode }

/** Builds the API clients once; they read the token and report 401s through the session. */
export function ServicesProvider({ fetch, store, children }: Props) {
  const session = useSession()
  const expireRef = useRef(session.expire)
  expireRef.current = session.expire

  const services = useMemo<Services>(() => {
    const http = createHttpClient({
      fetch,
      getToken: () => store.token(),
      onUnauthorized: () => expireRef.current(),
    })
    return { http, admin: createAdminApi(http), auth: createAuthApi(http) }
  }, [fetch, store])

  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>
}
