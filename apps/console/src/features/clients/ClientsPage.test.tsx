import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { errorReply } from '../../../test/fake-api'
import { clientFixture } from '../../../test/fixtures'
import { renderApp } from '../../../test/render-app'

const RAW_KEY = 'ak_live_3f9c0d1e2b4a5968776655443322110f'
const RAW_SECRET = 'ss_7d6c5b4a39281706f5e4d3c2b1a09f8e'

function setupClients() {
  const existing = clientFixture({ client_name: 'billing' })
  const created = clientFixture({ client_name: 'mobile-app', api_key_masked: 'ak_live_…110f', has_shared_secret: true })
  const listed = [existing]
  const { api } = renderApp({ hash: '#/clients' })
  api.on('GET /api/admin/clients', () => ({ status: 200, body: listed }))
  api.on('POST /api/admin/clients', () => {
    listed.push(created)
    return { status: 201, body: { ...created, api_key: RAW_KEY, shared_secret: RAW_SECRET } }
  })
  return { api, user: userEvent.setup({ delay: null }) }
}

/** The create form, opened from the list of `billing`, with the client name typed in. */
async function openCreateForm(user: ReturnType<typeof userEvent.setup>, clientName: string) {
  await screen.findByText('billing')
  await user.click(screen.getByRole('button', { name: 'New client' }))
  const form = screen.getByRole('form', { name: 'Create client' })
  await user.type(within(form).getByLabelText('Client name'), clientName)
  return form
}

describe('ClientsPage', () => {
  it('shows new credentials once, with a warning and copy buttons, and forgets them when dismissed', async () => {
    const { api, user } = setupClients()
    const form = await openCreateForm(user, 'mobile-app')
    await user.click(within(form).getByLabelText(/Shared secret/))
    await user.click(within(form).getByRole('button', { name: 'Create client' }))

    const dialog = await screen.findByRole('dialog', { name: 'Credentials for mobile-app' })
    expect(within(dialog).getByText(RAW_KEY)).toBeTruthy()
    expect(within(dialog).getByText(RAW_SECRET)).toBeTruthy()
    expect(within(dialog).getByRole('alert').textContent).toMatch(/cannot be shown again/)
    expect(within(dialog).getByRole('button', { name: 'Copy API key' })).toBeTruthy()
    expect(within(dialog).getByRole('button', { name: 'Copy Shared secret' })).toBeTruthy()
    expect(api.callsTo('POST /api/admin/clients')[0]?.body).toEqual({
      client_name: 'mobile-app',
      status: 'active',
      api_key: true,
      shared_secret: true,
    })

    await user.click(within(dialog).getByRole('button', { name: 'I have stored them safely' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(screen.queryByText(RAW_KEY)).toBeNull()
    expect(screen.queryByText(RAW_SECRET)).toBeNull()
    expect(document.body.innerHTML).not.toContain(RAW_KEY)
    // The list shows only the masked form.
    expect(await screen.findByText('ak_live_…110f')).toBeTruthy()
  })

  it('refuses to send a client without any credential, using the shared schema', async () => {
    const { api, user } = setupClients()
    const form = await openCreateForm(user, 'no-creds')
    await user.click(within(form).getByLabelText(/API key/))
    await user.click(within(form).getByRole('button', { name: 'Create client' }))

    expect(await within(form).findByText(/request at least one credential/)).toBeTruthy()
    expect(api.callsTo('POST /api/admin/clients')).toHaveLength(0)
  })

  it("shows the server's field errors when it refuses the new client", async () => {
    const { api, user } = setupClients()
    api.on(
      'POST /api/admin/clients',
      errorReply(409, 'conflict', 'a client with this name exists', [
        { path: 'client_name', message: 'already taken by client 1a2b3c4d' },
      ]),
    )
    const form = await openCreateForm(user, 'billing')
    await user.click(within(form).getByRole('button', { name: 'Create client' }))

    expect(await within(form).findByText('already taken by client 1a2b3c4d')).toBeTruthy()
    expect(within(form).getByText('a client with this name exists')).toBeTruthy()
    expect(screen.queryByRole('dialog', { name: /Credentials/ })).toBeNull()
  })

  it('suspends an active client with its version, then lists it again', async () => {
    const { api, user } = setupClients()
    api.on('PUT /api/admin/clients/:id', (request) => ({
      status: 200,
      body: { ...clientFixture(), ...(request.body as object) },
    }))
    const row = await screen.findByTestId('client-row-billing')
    await user.click(within(row).getByRole('button', { name: 'Suspend' }))

    await waitFor(() => expect(api.callsTo('GET /api/admin/clients')).toHaveLength(2))
    const update = api.calls.find((call) => call.method === 'PUT')
    expect(update?.path).toMatch(/^\/api\/admin\/clients\/[0-9a-f-]{36}$/)
    expect(update?.body).toEqual({ status: 'suspended', version: 1 })
  })

  it('with no clients, says what a client is for and opens the create form from there', async () => {
    const { api } = renderApp({ hash: '#/clients' })
    api.on('GET /api/admin/clients', { status: 200, body: [] })
    const user = userEvent.setup({ delay: null })

    const empty = await screen.findByTestId('empty-clients')
    expect(within(empty).getByRole('heading', { name: 'No clients yet' })).toBeTruthy()
    expect(empty.textContent).toMatch(/API consumer/)
    expect(screen.queryByRole('table')).toBeNull()
    await user.click(within(empty).getByRole('button', { name: 'Create a client' }))
    expect(await screen.findByRole('form', { name: 'Create client' })).toBeTruthy()
  })

  it('when the search hides every client, offers to clear it', async () => {
    const { user } = setupClients()
    await screen.findByText('billing')
    await user.type(screen.getByLabelText('Search clients'), 'nothing-like-this')
    expect(screen.getByRole('heading', { name: 'No client matches the search' })).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Clear search' }))
    expect(await screen.findByText('billing')).toBeTruthy()
  })

  it('shows expiries in the list (marked once past) and sends the expiry of the create form as epoch seconds', async () => {
    const past = Math.floor(Date.now() / 1000) - 60
    const future = Math.floor(Date.now() / 1000) + 86_400
    const { api, user } = setupClients()
    api.on('GET /api/admin/clients', () => ({
      status: 200,
      body: [
        clientFixture({ client_name: 'billing' }),
        clientFixture({ client_name: 'contractor', expires_at: future, api_key_expires_at: past }),
      ],
    }))
    const row = await screen.findByTestId('client-row-contractor')
    const cell = within(row).getByTestId('client-expiry')
    expect(cell.textContent).toMatch(/client: \d{4}-\d\d-\d\d/)
    expect(cell.textContent).toMatch(/API key: \d{4}-.*expired/)
    expect(within(row).getAllByText('expired')).toHaveLength(1)
    expect(within(screen.getByTestId('client-row-billing')).getByTestId('client-expiry').textContent).toBe('never')

    const form = await openCreateForm(user, 'mobile-app')
    fireEvent.change(within(form).getByLabelText(/Expires/), { target: { value: '2030-01-01T12:30' } })
    await user.click(within(form).getByRole('button', { name: 'Create client' }))
    await screen.findByRole('dialog', { name: 'Credentials for mobile-app' })
    expect(api.callsTo('POST /api/admin/clients')[0]?.body).toMatchObject({
      client_name: 'mobile-app',
      expires_at: Math.floor(new Date(2030, 0, 1, 12, 30).getTime() / 1000),
    })
  })

  it('filters by "unused for" through the API, keeps the filter in the address, and links names to client pages', async () => {
    const { api } = renderApp({ hash: '#/clients' })
    const user = userEvent.setup({ delay: null })
    const stale = clientFixture({ client_name: 'stale' })
    const fresh = clientFixture({ client_name: 'fresh' })
    api.on('GET /api/admin/clients', (request) => ({
      status: 200,
      body:
        request.query.get('unused_for') === '90d'
          ? [{ ...stale, last_used_at: null }]
          : [
              { ...stale, last_used_at: null },
              { ...fresh, last_used_at: 1_790_000_000 },
            ],
    }))
    const link = await screen.findByRole('link', { name: 'fresh' })
    expect(link.getAttribute('href')).toBe(`#/clients/${fresh.client_id}`)
    expect(within(screen.getByTestId('client-row-fresh')).getByTestId('client-last-used').textContent).toMatch(
      /^\d{4}-/,
    )
    expect(within(screen.getByTestId('client-row-stale')).getByTestId('client-last-used').textContent).toBe('never')

    await user.click(screen.getByRole('radio', { name: '90 days' }))
    await waitFor(() => expect(screen.queryByText('fresh')).toBeNull())
    expect(screen.getByText('stale')).toBeTruthy()
    expect(window.location.hash).toBe('#/clients?unused_for=90d')
    expect(api.callsTo('GET /api/admin/clients').map((call) => call.query.get('unused_for'))).toEqual([null, '90d'])
  })

  it('says so when the console-api ignores the filter because it does not track last use', async () => {
    const { api } = renderApp({ hash: '#/clients?unused_for=30d' })
    api.on('GET /api/admin/clients', { status: 200, body: [clientFixture({ client_name: 'billing' })] })
    expect(await screen.findByText('Last use is not tracked by this console-api')).toBeTruthy()
    expect(api.callsTo('GET /api/admin/clients')[0]?.query.get('unused_for')).toBe('30d')
  })
})
