import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { renderApp } from '../../../test/render-app'

const CLIENT = '00000000-0000-4000-8000-00000000abcd'

function summary(id: number) {
  return {
    id: `cs-${id}`,
    applied_at: 1_790_000_000 + id,
    actor: 'ci-deploy',
    creates: id,
    updates: 1,
    deletes: 0,
    config_version: 40 + id,
  }
}

describe('Change sets', () => {
  it('lists applies a page at a time and opens one with its audit entries', async () => {
    const { api } = renderApp({ hash: '#/changesets' })
    const user = userEvent.setup({ delay: null })
    api.on('GET /api/admin/config/changesets', (request) =>
      request.query.get('cursor') === 'page-2'
        ? { status: 200, body: { changesets: [summary(1)], next_cursor: null } }
        : { status: 200, body: { changesets: [summary(3), summary(2)], next_cursor: 'page-2' } },
    )
    api.on('GET /api/admin/config/changesets/:id', {
      status: 200,
      body: {
        id: 'cs-3',
        applied_at: 1_790_000_003,
        actor: 'ci-deploy',
        entries_total: 3,
        entries: [
          {
            audit_id: '91',
            at: 1_790_000_003,
            actor: 'ci-deploy',
            actor_type: 'admin_token',
            action: 'client.create',
            entity_type: 'client',
            entity_id: CLIENT,
            before: null,
            after: { client_id: CLIENT, client_name: 'mobile-app' },
            request_id: null,
          },
        ],
      },
    })

    const row = await screen.findByTestId('changeset-cs-3')
    expect(row.textContent).toContain('ci-deploy')
    expect(row.textContent).toContain('+3')
    expect(row.textContent).toContain('43')
    expect(screen.getByRole('link', { name: 'Change sets' }).getAttribute('data-active')).toBe('true')
    await user.click(screen.getByRole('button', { name: 'Load older change sets' }))
    expect(await screen.findByTestId('changeset-cs-1')).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Load older change sets' })).toBeNull()
    expect(api.callsTo('GET /api/admin/config/changesets').map((call) => call.query.get('cursor'))).toEqual([
      null,
      'page-2',
    ])

    await user.click(within(row).getByRole('link'))
    expect(await screen.findByRole('heading', { name: 'Change set cs-3' })).toBeTruthy()
    expect(screen.getByText('client.create')).toBeTruthy()
    expect(screen.getByText('3 changes (the first 1 shown)')).toBeTruthy()
    expect(screen.getByRole('link', { name: 'mobile-app' }).getAttribute('href')).toBe(`#/clients/${CLIENT}`)
  })

  it('says when this console-api records no change sets', async () => {
    renderApp({ hash: '#/changesets' })
    expect(await screen.findByTestId('changesets-unavailable')).toBeTruthy()
  })

  it('offers the way to make one when none was applied yet', async () => {
    const { api } = renderApp({ hash: '#/changesets' })
    api.on('GET /api/admin/config/changesets', { status: 200, body: { changesets: [], next_cursor: null } })
    await waitFor(() => expect(screen.getByTestId('empty-changesets').textContent).toContain('gatekeeper apply'))
  })
})
