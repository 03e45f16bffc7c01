import { permissionGrantSchema } from '@gatekeeper/models'
import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { errorReply } from '../../../test/fake-api'
import { clientFixture, permissionFixture, routeFixture } from '../../../test/fixtures'
import { renderApp } from '../../../test/render-app'

function setup() {
  const billing = clientFixture({ client_name: 'billing' })
  const mobile = clientFixture({ client_name: 'mobile' })
  const orders = routeFixture({ route_pattern: '/v1/orders/*' })
  const health = routeFixture({ route_pattern: '/health', methods: { GET: { auth_required: false, auth_type: null } } })
  const existing = permissionFixture(billing, orders, ['GET'])
  const { api } = renderApp({ hash: '#/permissions' })
  api
    .on('GET /api/admin/clients', { status: 200, body: [billing, mobile] })
    .on('GET /api/admin/routes', { status: 200, body: [orders, health] })
    .on('GET /api/admin/permissions', { status: 200, body: [existing] })
    .on('POST /api/admin/permissions', (request) => {
      const body = permissionGrantSchema.parse(request.body)
      const client = body.client_id === billing.client_id ? billing : mobile
      const route = body.route_id === orders.route_id ? orders : health
      return { status: 201, body: permissionFixture(client, route, body.allowed_methods) }
    })
    .on('DELETE /api/admin/permissions/:id', { status: 204 })
  return { api, billing, mobile, orders, health, existing, user: userEvent.setup({ delay: null }) }
}

describe('PermissionsPage matrix', () => {
  it('adds a method to an existing grant by sending the full new method list', async () => {
    const { api, billing, orders, user } = setup()
    const post = await screen.findByRole('checkbox', { name: 'billing /v1/orders/* POST' })
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'billing /v1/orders/* GET' }).checked).toBe(true)
    await user.click(post)

    await waitFor(() => expect(api.callsTo('POST /api/admin/permissions')).toHaveLength(1))
    expect(api.callsTo('POST /api/admin/permissions')[0]?.body).toEqual({
      client_id: billing.client_id,
      route_id: orders.route_id,
      allowed_methods: ['GET', 'POST'],
    })
    await waitFor(() =>
      expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'billing /v1/orders/* POST' }).checked).toBe(true),
    )
  })

  it('creates a grant for an empty cell, offering only the methods the route configures', async () => {
    const { api, mobile, health, user } = setup()
    await user.click(await screen.findByRole('checkbox', { name: 'mobile /health GET' }))
    expect(screen.queryByRole('checkbox', { name: 'mobile /health POST' })).toBeNull()

    await waitFor(() => expect(api.callsTo('POST /api/admin/permissions')).toHaveLength(1))
    expect(api.callsTo('POST /api/admin/permissions')[0]?.body).toEqual({
      client_id: mobile.client_id,
      route_id: health.route_id,
      allowed_methods: ['GET'],
    })
  })

  it('revokes the grant when its last method is turned off', async () => {
    const { api, existing, user } = setup()
    await user.click(await screen.findByRole('checkbox', { name: 'billing /v1/orders/* GET' }))

    await waitFor(() => expect(api.calls.filter((call) => call.method === 'DELETE')).toHaveLength(1))
    expect(api.calls.find((call) => call.method === 'DELETE')?.path).toBe(
      `/api/admin/permissions/${existing.permission_id}`,
    )
    expect(api.callsTo('POST /api/admin/permissions')).toHaveLength(0)
    await waitFor(() =>
      expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'billing /v1/orders/* GET' }).checked).toBe(false),
    )
  })

  it('puts the cell back and says why when the server refuses the change', async () => {
    const { api, user } = setup()
    api.on('POST /api/admin/permissions', errorReply(409, 'conflict', 'the route was deleted meanwhile'))
    await user.click(await screen.findByRole('checkbox', { name: 'mobile /health GET' }))

    expect(await screen.findByText('the route was deleted meanwhile')).toBeTruthy()
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'mobile /health GET' }).checked).toBe(false)
  })
})
