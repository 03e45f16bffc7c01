import type { AdminTokenWire } from '@gatekeeper/models'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { renderApp } from '../../../test/render-app'

const RAW = `gka_${'Z'.repeat(49)}`
const now = Math.floor(Date.now() / 1000)

function token(overrides: Partial<AdminTokenWire>): AdminTokenWire {
  return {
    token_id: crypto.randomUUID(),
    name: 'ci',
    scope: 'write',
    token_masked: 'gka_AbCd…wxyz',
    created_at: now - 3600,
    created_by: 'ops@acme.test',
    expires_at: null,
    last_used_at: null,
    revoked_at: null,
    ...overrides,
  }
}

function setup(listed: AdminTokenWire[]) {
  const { api } = renderApp({ hash: '#/tokens' })
  api.on('GET /api/admin/tokens', () => ({ status: 200, body: listed }))
  return { api, user: userEvent.setup({ delay: null }) }
}

describe('TokensPage', () => {
  it('lists tokens masked with their state, and revokes one after confirmation', async () => {
    const live = token({ name: 'deploy' })
    const listed = [live, token({ name: 'old', expires_at: now - 60 }), token({ name: 'gone', revoked_at: now - 10 })]
    const { api, user } = setup(listed)
    api.on('DELETE /api/admin/tokens/:id', () => {
      listed[0] = { ...live, revoked_at: now }
      return { status: 204 }
    })
    const row = (name: string) => within(screen.getByText(name).closest('tr') as HTMLElement)
    await screen.findByText('deploy')
    expect(row('deploy').getByText('active')).toBeTruthy()
    expect(row('old').getByText('expired')).toBeTruthy()
    expect(row('gone').getByText('revoked')).toBeTruthy()
    expect(row('gone').queryByRole('button', { name: /Revoke/ })).toBeNull()

    await user.click(row('deploy').getByRole('button', { name: 'Revoke deploy' }))
    const dialog = await screen.findByRole('dialog', { name: 'Revoke token' })
    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }))
    expect(api.callsTo(`DELETE /api/admin/tokens/${live.token_id}`)).toHaveLength(1)
    await waitFor(() => expect(row('deploy').getByText('revoked')).toBeTruthy())
  })

  it('creates a token and shows the raw value once', async () => {
    const listed: AdminTokenWire[] = []
    const { api, user } = setup(listed)
    api.on('POST /api/admin/tokens', (request) => {
      const created = token({ name: 'ci', scope: 'read', expires_at: now + 90 * 86_400 })
      listed.push(created)
      expect(request.body).toEqual({ name: 'ci', scope: 'read', expires_in_seconds: 90 * 86_400 })
      return { status: 201, body: { ...created, token: RAW } }
    })
    expect(await screen.findByText(/No API tokens yet/)).toBeTruthy()
    const form = screen.getByRole('form', { name: 'Create token' })
    await user.type(within(form).getByLabelText('Name'), 'ci')
    await user.click(within(form).getByRole('button', { name: 'Create token' }))

    const dialog = await screen.findByRole('dialog', { name: 'Token ci' })
    expect(within(dialog).getByText(RAW)).toBeTruthy()
    expect(within(dialog).getByRole('alert').textContent).toMatch(/cannot be shown again/)
    await user.click(within(dialog).getByRole('button', { name: 'I have stored it safely' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(document.body.innerHTML).not.toContain(RAW)
    expect(await screen.findByText('gka_AbCd…wxyz')).toBeTruthy()
  })

  it('refuses a name that would look like an email before sending it', async () => {
    const { api, user } = setup([])
    const form = await screen.findByRole('form', { name: 'Create token' })
    await user.type(within(form).getByLabelText('Name'), 'ops@acme.test')
    await user.click(within(form).getByRole('button', { name: 'Create token' }))
    expect(await within(form).findByText(/letters, digits/)).toBeTruthy()
    expect(api.callsTo('POST /api/admin/tokens')).toHaveLength(0)
  })
})
