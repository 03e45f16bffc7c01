import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { errorReply } from '../../test/fake-api'
import { routeFixture } from '../../test/fixtures'
import { ADMIN_EMAIL, renderApp } from '../../test/render-app'

const LOGIN_OK = { status: 200, body: { token: 'token-2', user_uuid: 'u-1', expires_at: 4_102_444_800 } }

describe('session expiry', () => {
  it('on a 401 asks for sign-in over the same screen, keeps the form, and retries with the new token', async () => {
    const { api } = renderApp({ hash: '#/routes/new' })
    const user = userEvent.setup({ delay: null })
    api.on('GET /api/admin/routes', { status: 200, body: [routeFixture()] })
    api.on('POST /api/admin/routes', (request) =>
      request.authorization === 'Bearer token-2'
        ? { status: 201, body: routeFixture({ route_pattern: '/v2/things' }) }
        : errorReply(401, 'unauthorized', 'token expired'),
    )
    api.on('POST /api/auth/login', LOGIN_OK)

    fireEvent.change(await screen.findByLabelText('Path pattern'), { target: { value: '/v2/things' } })
    fireEvent.change(screen.getByLabelText('Service name'), { target: { value: 'things' } })
    await user.click(screen.getByLabelText('GET API key'))
    await user.click(screen.getByRole('button', { name: 'Create route' }))

    const overlay = await screen.findByRole('dialog', { name: 'Session expired' })
    expect(window.location.hash).toBe('#/routes/new')
    expect(window.sessionStorage.getItem('gatekeeper.console.session')).toBeNull()
    expect(within(overlay).getByLabelText<HTMLInputElement>('Email').value).toBe(ADMIN_EMAIL)
    await user.type(within(overlay).getByLabelText('Password'), 'correct horse')
    await user.click(within(overlay).getByRole('button', { name: 'Sign in' }))

    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Session expired' })).toBeNull())
    expect(window.location.hash).toBe('#/routes/new')
    expect(screen.getByLabelText<HTMLInputElement>('Path pattern').value).toBe('/v2/things')
    expect(screen.getByText(/Your session expired/)).toBeTruthy()
    expect(api.callsTo('POST /api/auth/login')[0]?.body).toEqual({ email: ADMIN_EMAIL, password: 'correct horse' })

    await user.click(screen.getByRole('button', { name: 'Create route' }))
    await waitFor(() => expect(window.location.hash).toBe('#/routes'))
    expect(api.callsTo('POST /api/admin/routes').map((call) => call.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-2',
    ])
  })

  it('sign-out ends the session on the server with its token, and forgets it in the tab', async () => {
    const { api } = renderApp({ hash: '#/routes' })
    const user = userEvent.setup({ delay: null })
    api.on('GET /api/admin/routes', { status: 200, body: [] })
    api.on('DELETE /api/admin/session', { status: 204 })

    await user.click(await screen.findByRole('button', { name: 'Sign out' }))
    await waitFor(() => expect(api.callsTo('DELETE /api/admin/session')).toHaveLength(1))
    expect(api.callsTo('DELETE /api/admin/session')[0]?.authorization).toBe('Bearer token-1')
    expect(window.sessionStorage.getItem('gatekeeper.console.session')).toBeNull()
    await waitFor(() => expect(window.location.hash).toMatch(/^#\/sign-in/))
  })

  it('sends a signed-out visitor to sign-in and back to the screen they asked for', async () => {
    const { api } = renderApp({ hash: '#/clients', signedIn: false })
    const user = userEvent.setup({ delay: null })
    api.on('POST /api/auth/login', LOGIN_OK).on('GET /api/admin/routes', { status: 200, body: [] })
    api.on('GET /api/admin/clients', { status: 200, body: [] })

    await screen.findByRole('button', { name: 'Sign in' })
    await waitFor(() => expect(window.location.hash).toBe('#/sign-in?next=%2Fclients'))
    expect(screen.getByText('Acme APIs · Gatekeeper console')).toBeTruthy()
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'Ops@Acme.test' } })
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'pw' } })
    await user.click(screen.getByRole('button', { name: 'Sign in' }))

    await waitFor(() => expect(window.location.hash).toBe('#/clients'))
    expect(await screen.findByRole('heading', { name: 'Clients' })).toBeTruthy()
    expect(screen.getByTestId('console-title').textContent).toBe('Acme APIs · Gatekeeper console')
    // The token lives in sessionStorage (this tab only), never in localStorage.
    expect(window.sessionStorage.getItem('gatekeeper.console.session')).toContain('token-2')
    expect(window.localStorage.length).toBe(0)
    // The new token was checked against the admin API before it was kept.
    expect(api.callsTo('GET /api/admin/routes')[0]?.authorization).toBe('Bearer token-2')
  })

  it('keeps out an Aegis user who is not a console admin, saying why', async () => {
    const { api } = renderApp({ hash: '#/sign-in', signedIn: false })
    const user = userEvent.setup({ delay: null })
    api.on('POST /api/auth/login', LOGIN_OK)
    api.on('GET /api/admin/routes', errorReply(403, 'forbidden', 'not a console admin'))

    fireEvent.change(await screen.findByLabelText('Email'), { target: { value: 'someone@acme.test' } })
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'pw' } })
    await user.click(screen.getByRole('button', { name: 'Sign in' }))

    expect(await screen.findByText(/someone@acme.test signed in, but is not a console admin/)).toBeTruthy()
    expect(window.sessionStorage.getItem('gatekeeper.console.session')).toBeNull()
    expect(window.location.hash).toBe('#/sign-in')
  })

  it('says a wrong password was refused, never that a session expired', async () => {
    const { api } = renderApp({ hash: '#/sign-in', signedIn: false })
    const user = userEvent.setup({ delay: null })
    api.on('POST /api/auth/login', errorReply(401, 'invalid credentials', 'invalid credentials'))

    fireEvent.change(await screen.findByLabelText('Email'), { target: { value: ADMIN_EMAIL } })
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'wrong' } })
    await user.click(screen.getByRole('button', { name: 'Sign in' }))

    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('Sign-in refused: the email or password is not right.')
    expect(document.body.textContent).not.toMatch(/expired/i)
    expect(window.sessionStorage.getItem('gatekeeper.console.session')).toBeNull()
    // The admin API was never tried with a token that does not exist.
    expect(api.callsTo('GET /api/admin/routes')).toEqual([])
  })

  it('in the expired-session dialog, a wrong password is refused too, and the dialog stays', async () => {
    const { api } = renderApp({ hash: '#/clients' })
    const user = userEvent.setup({ delay: null })
    api.on('GET /api/admin/clients', errorReply(401, 'unauthorized', 'token expired'))
    api.on('GET /api/admin/routes', errorReply(401, 'unauthorized', 'token expired'))
    api.on('POST /api/auth/login', errorReply(401, 'invalid credentials', 'invalid credentials'))

    const overlay = await screen.findByRole('dialog', { name: 'Session expired' })
    await user.type(within(overlay).getByLabelText('Password'), 'wrong')
    await user.click(within(overlay).getByRole('button', { name: 'Sign in' }))

    expect((await within(overlay).findByRole('alert')).textContent).toContain('Sign-in refused')
    expect(within(overlay).queryByText(/Your session expired/)).toBeNull()
  })
})
