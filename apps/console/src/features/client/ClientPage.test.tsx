import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { errorReply } from '../../../test/fake-api'
import { clientFixture, permissionFixture, routeFixture } from '../../../test/fixtures'
import { renderApp } from '../../../test/render-app'

const HOUR = 3600
const NOW = Math.floor(Date.now() / 1000)
const THIS_HOUR = Math.floor(NOW / HOUR) * HOUR

function lifecycleClient() {
  const base = clientFixture({ client_name: 'billing', has_shared_secret: true, ip_allowlist: null })
  return {
    ...base,
    metadata: { team: 'payments', tier: 2 },
    last_used_at: NOW - 120,
    credentials: [
      {
        credential_id: 'cred-old',
        kind: 'api_key',
        prefix: 'gk_OLD1',
        created_at: NOW - 86_400,
        expires_at: NOW + 3000,
        last_used_at: NOW - 4000,
        ip_allowlist: null,
        state: 'previous',
      },
      {
        credential_id: 'cred-new',
        kind: 'api_key',
        prefix: 'gk_NEW2',
        created_at: NOW - 3600,
        expires_at: null,
        last_used_at: NOW - 120,
        ip_allowlist: ['203.0.113.0/24'],
        state: 'current',
      },
    ],
  }
}

function usageReply(window: string) {
  const daily = window === '30d'
  return {
    status: 200,
    body: {
      client_id: 'x',
      window,
      bucket_seconds: daily ? 86_400 : HOUR,
      buckets: daily
        ? [{ start: Math.floor(NOW / 86_400) * 86_400, allowed: 900, refused: 20, rate_limited: 5 }]
        : [
            {
              start: THIS_HOUR - HOUR,
              allowed: 40,
              refused: 3,
              rate_limited: 7,
              refused_by_reason: { ip_not_allowed: 3 },
            },
          ],
      totals: daily ? { allowed: 900, refused: 20, rate_limited: 5 } : { allowed: 40, refused: 3, rate_limited: 7 },
    },
  }
}

function setup(client: Record<string, unknown> & { client_id: string }) {
  const { api } = renderApp({ hash: `#/clients/${client.client_id}` })
  const route = routeFixture()
  api.on('GET /api/admin/clients/:id', { status: 200, body: client })
  api.on('GET /api/admin/permissions', {
    status: 200,
    body: [permissionFixture(clientFixture({ client_id: client.client_id }), route, ['GET'])],
  })
  api.on('GET /api/admin/rate-limits', {
    status: 200,
    body: [
      {
        client_id: client.client_id,
        client_name: 'billing',
        requests_per_day: 10_000,
        requests_per_minute: 100,
        created_at: NOW,
        updated_at: NOW,
      },
    ],
  })
  api.on('GET /api/admin/rate-limits/:id/usage', {
    status: 200,
    body: { client_id: client.client_id, used_day: 42, remaining_day: 9958, used_minute: 3, remaining_minute: 97 },
  })
  api.on('GET /api/admin/audit', {
    status: 200,
    body: [
      {
        audit_id: '7',
        at: NOW - 60,
        actor: 'ops@acme.test',
        actor_type: 'console_admin',
        action: 'client.rotate_api_key',
        entity_type: 'client',
        entity_id: client.client_id,
        before: null,
        after: { client_name: 'billing' },
        request_id: null,
      },
    ],
  })
  return { api, user: userEvent.setup({ delay: null }) }
}

/** The page of a client with two API keys whose updates are accepted, after a click on a credential row's button. */
async function clickCredentialButton(rowTestId: string, button: string) {
  const client = lifecycleClient()
  const { api, user } = setup(client)
  api.on('PUT /api/admin/clients/:id/credentials/:cid', { status: 200, body: {} })
  const row = await screen.findByTestId(rowTestId)
  await user.click(within(row).getByRole('button', { name: button }))
  return { client, api, user }
}

describe('ClientPage', () => {
  it('shows identity, metadata, credentials, usage, permissions, rate limit and audit of one client', async () => {
    const client = lifecycleClient()
    const { api, user } = setup(client)
    api.on('GET /api/admin/clients/:id/usage', (request) => usageReply(request.query.get('window') ?? ''))

    expect(await screen.findByRole('heading', { name: 'billing' })).toBeTruthy()
    expect(screen.getByTestId('client-id').textContent).toBe(client.client_id)
    expect(JSON.parse(screen.getByTestId('client-metadata').textContent ?? '')).toEqual({ team: 'payments', tier: 2 })

    const current = screen.getByTestId('credential-api_key-current')
    expect(current.textContent).toContain('gk_NEW2')
    expect(within(current).getByTestId('credential-allowlist').textContent).toBe('203.0.113.0/24')
    expect(within(current).getByTestId('credential-expires').textContent).toBe('never')
    const previous = screen.getByTestId('credential-api_key-previous')
    expect(previous.textContent).toContain('gk_OLD1')
    // Only the current credential can be rotated.
    expect(within(previous).queryByRole('button', { name: 'Rotate' })).toBeNull()
    expect(within(current).getByRole('button', { name: 'Rotate' })).toBeTruthy()

    const usage = screen.getByTestId('client-usage')
    await within(usage).findByTestId('usage-chart')
    expect(within(usage).getAllByTestId('usage-bar')).toHaveLength(24)
    expect(within(usage).getByTestId('usage-total-allowed').textContent).toBe('40')
    expect(within(usage).getByTestId('usage-total-rateLimited').textContent).toBe('7')
    expect(within(usage).getByTestId('usage-reasons').textContent).toContain('ip_not_allowed 3')
    await user.click(within(usage).getByRole('radio', { name: 'Last 30 d' }))
    await waitFor(() => expect(within(usage).getAllByTestId('usage-bar')).toHaveLength(30))
    expect(within(usage).getByTestId('usage-total-allowed').textContent).toBe('900')
    expect(api.callsTo(`GET /api/admin/clients/${client.client_id}/usage`).map((c) => c.query.get('window'))).toEqual([
      '24h',
      '30d',
    ])

    const permissions = screen.getByTestId('client-permissions')
    expect(await within(permissions).findByRole('link', { name: '/v1/orders/*' })).toBeTruthy()
    expect(api.callsTo('GET /api/admin/permissions')[0]?.query.get('client_id')).toBe(client.client_id)
    const limit = screen.getByTestId('client-rate-limit')
    expect(await within(limit).findByText('this minute: 3 / 100')).toBeTruthy()
    const audit = screen.getByTestId('client-audit')
    expect(await within(audit).findByText('client.rotate_api_key')).toBeTruthy()
    expect(api.callsTo('GET /api/admin/audit')[0]?.query.get('entity_id')).toBe(client.client_id)
  })

  it("edits a credential's allowlist and expiry, refusing a bad CIDR before sending", async () => {
    const { client, api, user } = await clickCredentialButton('credential-api_key-current', 'Edit')
    const form = screen.getByRole('form', { name: 'Edit API key gk_NEW2' })
    const allowlist = within(form).getByLabelText('IP allowlist')
    await user.clear(allowlist)
    await user.type(allowlist, '10.0.0.0/33')
    await user.click(within(form).getByRole('button', { name: 'Save' }))
    expect(await within(form).findByText(/not an IPv4\/IPv6 address or CIDR/)).toBeTruthy()
    expect(api.callsTo(`PUT /api/admin/clients/${client.client_id}/credentials/cred-new`)).toHaveLength(0)

    await user.clear(allowlist)
    await user.type(allowlist, '10.0.0.0/8{enter}2001:db8::/32')
    const expires = within(form).getByLabelText(/Expires/)
    await user.type(expires, '2030-01-01T12:30')
    await user.click(within(form).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Edit API key gk_NEW2' })).toBeNull())
    expect(api.callsTo(`PUT /api/admin/clients/${client.client_id}/credentials/cred-new`)[0]?.body).toEqual({
      expires_at: Math.floor(new Date(2030, 0, 1, 12, 30).getTime() / 1000),
      ip_allowlist: ['10.0.0.0/8', '2001:db8::/32'],
    })
    // The page reloads the client after the change.
    await waitFor(() => expect(api.callsTo(`GET /api/admin/clients/${client.client_id}`).length).toBeGreaterThan(1))
  })

  it('revokes a credential only after confirmation, by expiring it now', async () => {
    const { client, api, user } = await clickCredentialButton('credential-api_key-previous', 'Revoke')
    const dialog = screen.getByRole('dialog', { name: 'Revoke credential' })
    expect(dialog.textContent).toContain('API key gk_OLD1 of billing')
    expect(api.callsTo(`PUT /api/admin/clients/${client.client_id}/credentials/cred-old`)).toHaveLength(0)
    const before = Math.floor(Date.now() / 1000)
    await user.click(within(dialog).getByRole('button', { name: 'Revoke now' }))
    await waitFor(() =>
      expect(api.callsTo(`PUT /api/admin/clients/${client.client_id}/credentials/cred-old`)).toHaveLength(1),
    )
    const sent = api.callsTo(`PUT /api/admin/clients/${client.client_id}/credentials/cred-old`)[0]?.body as {
      expires_at: number
    }
    expect(sent.expires_at).toBeGreaterThanOrEqual(before)
    expect(sent.expires_at).toBeLessThanOrEqual(Math.floor(Date.now() / 1000))
  })

  it('on a console-api without credential records or usage, uses the summary fields and hides the chart', async () => {
    const client = clientFixture({ client_name: 'billing', api_key_masked: 'gk_YK0K…M1h5', version: 3 })
    const { api, user } = setup(client)
    api.on('PUT /api/admin/clients/:id', { status: 200, body: client })
    const row = await screen.findByTestId('credential-api_key-current')
    expect(row.textContent).toContain('gk_YK0K…M1h5')
    expect(screen.getByTestId('client-credentials').textContent).toContain('only the current credential')
    await waitFor(() => expect(api.callsTo(`GET /api/admin/clients/${client.client_id}/usage`)).toHaveLength(1))
    expect(screen.queryByTestId('client-usage')).toBeNull()
    expect(screen.queryByTestId('client-metadata')).toBeNull()

    await user.click(within(row).getByRole('button', { name: 'Edit' }))
    const form = screen.getByRole('form', { name: /Edit API key/ })
    expect(within(form).queryByLabelText('IP allowlist')).toBeNull()
    await user.type(within(form).getByLabelText(/Expires/), '2031-06-01T08:00')
    await user.click(within(form).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(api.callsTo(`PUT /api/admin/clients/${client.client_id}`)).toHaveLength(1))
    expect(api.callsTo(`PUT /api/admin/clients/${client.client_id}`)[0]?.body).toEqual({
      api_key_expires_at: Math.floor(new Date(2031, 5, 1, 8, 0).getTime() / 1000),
      version: 3,
    })
  })

  it('asks before revoking the client, and says when no client has the id', async () => {
    const client = lifecycleClient()
    const { api, user } = setup(client)
    api.on('PUT /api/admin/clients/:id', (request) => ({
      status: 200,
      body: { ...client, ...(request.body as object) },
    }))
    await screen.findByRole('heading', { name: 'billing' })
    await user.click(within(screen.getByTestId('client-actions')).getByRole('button', { name: 'Revoke' }))
    const dialog = screen.getByRole('dialog', { name: 'Change client status' })
    await user.click(within(dialog).getByRole('button', { name: 'Confirm' }))
    await waitFor(() => expect(api.callsTo(`PUT /api/admin/clients/${client.client_id}`)).toHaveLength(1))
    expect(api.callsTo(`PUT /api/admin/clients/${client.client_id}`)[0]?.body).toEqual({
      status: 'revoked',
      version: 1,
    })

    api.on('GET /api/admin/clients/:id', errorReply(404, 'not_found', 'client not found'))
    window.location.hash = '#/clients/00000000-0000-4000-8000-999999999999'
    expect(await screen.findByTestId('client-not-found')).toBeTruthy()
  })

  it('loads again after a sign-in that an expired session interrupted', async () => {
    const client = lifecycleClient()
    const { api, user } = setup(client)
    api.on('GET /api/admin/clients/:id', (request) =>
      request.authorization === 'Bearer token-2'
        ? { status: 200, body: client }
        : errorReply(401, 'unauthorized', 'token expired'),
    )
    api.on('GET /api/admin/routes', { status: 200, body: [] })
    api.on('POST /api/auth/login', {
      status: 200,
      body: { token: 'token-2', user_uuid: 'u-1', expires_at: 4_102_444_800 },
    })
    const overlay = await screen.findByRole('dialog', { name: 'Session expired' })
    await user.type(within(overlay).getByLabelText('Password'), 'correct horse')
    await user.click(within(overlay).getByRole('button', { name: 'Sign in' }))
    expect(await screen.findByRole('heading', { name: 'billing' })).toBeTruthy()
    expect(api.callsTo(`GET /api/admin/clients/${client.client_id}`).map((call) => call.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-2',
    ])
  })
})
