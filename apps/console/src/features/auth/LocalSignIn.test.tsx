import { screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { errorReply } from '../../../test/fake-api'
import { routeFixture } from '../../../test/fixtures'
import { renderApp } from '../../../test/render-app'

const CODE = `gkl_${'a'.repeat(49)}`
const LOCAL = { aegisApiUrl: '', localSignIn: true }
const SESSION = { status: 200, body: { token: 'gka_session', expires_at: 4_102_444_800, name: 'local-admin' } }

describe('sign-in modes', () => {
  it('local mode: no password form, and the sign-in link from gatekeeper start is explained', async () => {
    renderApp({ hash: '#/clients', signedIn: false, config: LOCAL })
    expect(await screen.findByText('Local mode')).toBeTruthy()
    expect(screen.getByText(/Aegis is not configured on this server/)).toBeTruthy()
    expect(screen.getAllByText('gatekeeper start').length).toBeGreaterThan(0)
    expect(screen.queryByLabelText('Password')).toBeNull()
  })

  it('Aegis mode: the sign-in form, and no local-mode note', async () => {
    renderApp({ hash: '#/sign-in', signedIn: false })
    expect(await screen.findByLabelText('Password')).toBeTruthy()
    expect(screen.queryByText('Local mode')).toBeNull()
    expect(screen.queryByText('Local sign-in is also on')).toBeNull()
  })

  it('both when an operator turned local sign-in on next to Aegis', async () => {
    renderApp({ hash: '#/sign-in', signedIn: false, config: { localSignIn: true } })
    expect(await screen.findByText('Local sign-in is also on')).toBeTruthy()
    expect(screen.getByLabelText('Password')).toBeTruthy()
  })
})

describe('a local sign-in link', () => {
  it('is spent once for a session, the code leaves the address bar, and admin calls carry the session token', async () => {
    const { api } = renderApp({ hash: `#/sign-in?code=${CODE}&next=%2Froutes`, signedIn: false, config: LOCAL })
    api.on('POST /api/auth/local-sign-in', SESSION)
    api.on('GET /api/admin/routes', { status: 200, body: [routeFixture({ route_pattern: '/local/*' })] })
    expect(await screen.findByText('/local/*')).toBeTruthy()
    expect(window.location.hash).toBe('#/routes')
    expect(api.callsTo('POST /api/auth/local-sign-in').map((c) => c.body)).toEqual([{ code: CODE }])
    expect(api.callsTo('GET /api/admin/routes')[0]?.authorization).toBe('Bearer gka_session')
    expect(screen.getByText('local admin')).toBeTruthy()
  })

  it('says so when the link is used or expired, and how to get another', async () => {
    const { api } = renderApp({ hash: `#/sign-in?code=${CODE}`, signedIn: false, config: LOCAL })
    api.on(
      'POST /api/auth/local-sign-in',
      errorReply(401, 'unauthorized', 'this sign-in link is invalid, already used or expired'),
    )
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toMatch(/already used or expired/)
    expect(alert.textContent).toMatch(/gatekeeper admin sign-in-link/)
    await waitFor(() => expect(api.callsTo('POST /api/auth/local-sign-in')).toHaveLength(1))
  })

  it('is not sent at all when the server has local sign-in off', async () => {
    const { api } = renderApp({ hash: `#/sign-in?code=${CODE}`, signedIn: false })
    expect((await screen.findByRole('alert')).textContent).toMatch(/CONSOLE_LOCAL_SIGNIN=true/)
    expect(api.callsTo('POST /api/auth/local-sign-in')).toHaveLength(0)
  })
})
