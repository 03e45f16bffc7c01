import { MantineProvider } from '@mantine/core'
import { useState } from 'react'
import type { FetchLike } from '../api/http'
import { SessionProvider } from '../session/SessionProvider'
import { browserSessionStorage, createTokenStore, type KeyValueStorage } from '../session/token-store'
import { ConfigGate } from './ConfigGate'
import { QueryProvider } from './QueryProvider'
import { Router } from './Router'
import { ServicesProvider } from './ServicesProvider'
import { consoleTheme } from './theme'

export type ConsoleAppProps = {
  /** Injected by tests; the browser's fetch otherwise. */
  fetch?: FetchLike
  /** Where the session survives a reload; sessionStorage by default, null for memory only. */
  storage?: KeyValueStorage | null
  /** 'test' turns off Mantine's transitions and portals for component tests. */
  env?: 'default' | 'test'
}

const browserFetch: FetchLike = (input, init) => window.fetch(input, init)

export function ConsoleApp({ fetch = browserFetch, storage, env = 'default' }: ConsoleAppProps) {
  const [store] = useState(() => createTokenStore(storage === undefined ? browserSessionStorage() : storage))
  return (
    <MantineProvider theme={consoleTheme} env={env}>
      <SessionProvider store={store}>
        <QueryProvider>
          <ServicesProvider fetch={fetch} store={store}>
            <ConfigGate>
              <Router />
            </ConfigGate>
          </ServicesProvider>
        </QueryProvider>
      </SessionProvider>
    </MantineProvider>
  )
}
