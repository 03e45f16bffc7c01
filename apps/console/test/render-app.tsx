import { MantineProvider } from '@mantine/core'
import { render } from '@testing-library/react'
import { ConsoleApp } from '../src/app/ConsoleApp'
import type { StoredSession } from '../src/session/token-store'
import { CONFIG_REPLY, createFakeApi, type FakeApi } from './fake-api'

export const ADMIN_EMAIL = 'ops@acme.test'

/** The whole console against a fake API, optionally already signed in (a session in sessionStorage). */
export function renderApp(
  opts: { hash?: string; signedIn?: boolean; api?: FakeApi; config?: Record<string, unknown> } = {},
) {
  const api = opts.api ?? createFakeApi()
  const config =
    opts.config === undefined ? CONFIG_REPLY : { status: 200, body: { ...CONFIG_REPLY.body, ...opts.config } }
  api.on('GET /api/config', config)
  if (opts.signedIn ?? true) {
    const session: StoredSession = { token: 'token-1', email: ADMIN_EMAIL, expiresAt: null }
    window.sessionStorage.setItem('gatekeeper.console.session', JSON.stringify(session))
  }
  if (opts.hash !== undefined) window.history.replaceState(null, '', `/${opts.hash}`)
  const view = render(<ConsoleApp fetch={api.fetch} storage={window.sessionStorage} env="test" />)
  return { api, view }
}

/** One component inside the console's theme, without the app around it. */
export function renderInTheme(ui: React.ReactElement) {
  return render(<MantineProvider env="test">{ui}</MantineProvider>)
}
