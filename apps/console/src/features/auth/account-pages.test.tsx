import { fireEvent, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { errorReply } from '../../../test/fake-api'
import { renderApp } from '../../../test/render-app'

// The account pages of Aegis's: one form, sent as typed; once Aegis accepts it the page says what happens next.

describe('account pages', () => {
  it('register: sends email and password (not the repeat), then says to check the inbox', async () => {
    const { api } = renderApp({ hash: '#/register', signedIn: false })
    api.on('POST /api/auth/register', { status: 200, body: {} })
    fireEvent.change(await screen.findByLabelText('Email'), { target: { value: 'new@acme.test' } })
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'correct horse battery' } })
    fireEvent.change(screen.getByLabelText('Repeat password'), { target: { value: 'correct horse battery' } })
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }))
    expect(await screen.findByText('Check your inbox')).toBeTruthy()
    expect(screen.getByText(/We sent a verification link to new@acme.test/)).toBeTruthy()
    expect(api.callsTo('POST /api/auth/register').map((call) => call.body)).toEqual([
      { email: 'new@acme.test', password: 'correct horse battery' },
    ])
  })

  it('forgot password: a refusal keeps the form with its message; no success note', async () => {
    const { api } = renderApp({ hash: '#/forgot-password', signedIn: false })
    api.on('POST /api/auth/request-password-reset', errorReply(503, 'unavailable', 'Aegis is unavailable'))
    fireEvent.change(await screen.findByLabelText('Email'), { target: { value: 'ops@acme.test' } })
    fireEvent.click(screen.getByRole('button', { name: 'Send reset link' }))
    expect(await screen.findByText('Aegis is unavailable')).toBeTruthy()
    expect(screen.queryByText('Check your inbox')).toBeNull()
    expect(screen.getByRole('button', { name: 'Send reset link' })).toBeTruthy()
    expect(api.callsTo('POST /api/auth/request-password-reset').map((call) => call.body)).toEqual([
      { email: 'ops@acme.test' },
    ])
  })
})
