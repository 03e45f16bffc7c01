import { screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { renderApp } from '../../test/render-app'

describe('Router', () => {
  it('shows Not found for an unknown path and for a malformed escape, without crashing', async () => {
    for (const hash of ['#/nope', '#/clients/%E0%A4%A']) {
      const { view } = renderApp({ hash })
      expect(await screen.findByRole('heading', { name: 'Not found' })).toBeTruthy()
      view.unmount()
    }
  })

  it('opens a client page whose id holds an escaped slash, asking the API for that id', async () => {
    const { api } = renderApp({ hash: '#/clients/c%2F1' })
    api.on('GET /api/admin/clients/c%2F1', { status: 404, body: { error: 'not_found', message: 'no such client' } })
    await waitFor(() => expect(api.calls.some((call) => call.path.includes('/api/admin/clients/c'))).toBe(true))
    expect(api.calls.find((call) => call.path.includes('/api/admin/clients/c'))?.path).toBe('/api/admin/clients/c%2F1')
  })

  it('follows hash navigation, the query staying inside the hash', async () => {
    const { api } = renderApp({ hash: '#/clients?unused_for=90d' })
    api.on('GET /api/admin/clients', { status: 200, body: [] })
    await waitFor(() => expect(api.callsTo('GET /api/admin/clients')).toHaveLength(1))
    expect(api.callsTo('GET /api/admin/clients')[0]?.query.get('unused_for')).toBe('90d')
    window.location.hash = '#/nope'
    expect(await screen.findByRole('heading', { name: 'Not found' })).toBeTruthy()
  })

  it('reads a query value exactly once decoded (an escaped percent sign stays a percent sign)', async () => {
    const { api } = renderApp({ hash: '#/audit?entity_id=%2541' })
    api.on('GET /api/admin/audit', { status: 200, body: [] })
    api.on('GET /api/admin/admins', { status: 200, body: [] })
    await waitFor(() => expect(api.callsTo('GET /api/admin/audit')).toHaveLength(1))
    expect(api.callsTo('GET /api/admin/audit')[0]?.query.get('entity_id')).toBe('%41')
    expect(screen.getByLabelText<HTMLInputElement>('Entity id').value).toBe('%41')
  })
})
