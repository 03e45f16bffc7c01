import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query'
import { type ReactNode, useEffect, useRef, useState } from 'react'
import { useSession } from '../session/session-context'

/**
 * One query cache per console. Failed loads are not retried on their own (a 401 opens the sign-in dialog, a
 * 404 means the console-api has no such endpoint, and the screen offers Retry for the rest), and nothing
 * refetches behind the admin's back when the tab regains focus: screens reload when opened or changed.
 */
function createConsoleQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false, staleTime: 5_000 },
      mutations: { retry: false },
    },
  })
}

/** After every sign-in, loads that an ended session refused run again. */
function RefetchAfterSignIn() {
  const client = useQueryClient()
  const { generation } = useSession()
  const seen = useRef(generation)
  useEffect(() => {
    if (generation === seen.current) return
    seen.current = generation
    void client.invalidateQueries()
  }, [client, generation])
  return null
}

export function QueryProvider({ children }: { children: ReactNode }) {
  const [client] = useState(createConsoleQueryClient)
  return (
    <QueryClientProvider client={client}>
      <RefetchAfterSignIn />
      {children}
    </QueryClientProvider>
  )
}
