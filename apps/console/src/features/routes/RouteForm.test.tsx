import { type RouteWire, routeCreateSchema } from '@gatekeeper/models'
import { fireEvent, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { routeFixture } from '../../../test/fixtures'
import { renderInTheme } from '../../../test/render-app'
import { ApiRequestError } from '../../api/errors'
import { RouteForm, type RouteFormSubmit } from './RouteForm'

/** Sets a text input in one change event (typing key by key only slows the test down). */
function fill(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } })
}

function setup(route?: RouteWire, reply?: (request: RouteFormSubmit) => Promise<RouteWire>) {
  const onSubmit = vi.fn(reply ?? (async () => routeFixture()))
  const onSaved = vi.fn()
  renderInTheme(
    <RouteForm
      route={route}
      siteDomain="acme.test"
      usedDomains={[]}
      onSubmit={onSubmit}
      onSaved={onSaved}
      onCancel={() => undefined}
    />,
  )
  return { onSubmit, onSaved, user: userEvent.setup({ delay: null }) }
}

describe('RouteForm method editor', () => {
  it('sends a methods object the shared schema accepts, one entry per enabled method', async () => {
    const { onSubmit, onSaved, user } = setup()
    fill('Path pattern', '/v1/orders/*')
    fill('Service name', 'orders')
    await user.click(screen.getByLabelText('GET Public'))
    await user.click(screen.getByRole('checkbox', { name: 'POST' }))
    await user.click(screen.getByLabelText('POST HMAC'))
    await user.click(screen.getByRole('checkbox', { name: 'DELETE' }))
    await user.click(screen.getByLabelText('DELETE API key'))
    await user.click(screen.getByRole('button', { name: 'Create route' }))

    await waitFor(() => expect(onSaved).toHaveBeenCalled())
    const request = onSubmit.mock.calls[0]?.[0]
    expect(request).toEqual({
      kind: 'create',
      body: {
        route_pattern: '/v1/orders/*',
        domain: '*',
        service_name: 'orders',
        methods: {
          GET: { auth_required: false, auth_type: null },
          POST: { auth_required: true, auth_type: 'hmac' },
          DELETE: { auth_required: true, auth_type: 'api_key' },
        },
      },
    })
    expect(request?.kind === 'create' && routeCreateSchema.safeParse(request.body).success).toBe(true)
  })

  it('refuses an enabled method whose authentication was never chosen, without sending', async () => {
    const { onSubmit, user } = setup()
    fill('Path pattern', '/v1/orders')
    fill('Service name', 'orders')
    await user.click(screen.getByRole('button', { name: 'Create route' }))

    expect(await screen.findByText(/auth_type must be 'api_key' or 'hmac' when auth_required is true/)).toBeTruthy()
    expect(onSubmit).not.toHaveBeenCalled()
  })

  it('refuses a route with no method enabled, and a pattern that is not a path', async () => {
    const { onSubmit, user } = setup()
    fill('Path pattern', 'v1/orders')
    fill('Service name', 'orders')
    await user.click(screen.getByRole('checkbox', { name: 'GET' }))
    await user.click(screen.getByRole('button', { name: 'Create route' }))

    expect(await screen.findByText('at least one HTTP method must be configured')).toBeTruthy()
    expect(screen.getByText("must start with '/'")).toBeTruthy()
    expect(onSubmit).not.toHaveBeenCalled()
  })

  it('turns a method public with one click and keeps the others when applying a choice to all', async () => {
    const route = routeFixture()
    const { onSubmit, user } = setup(route)
    await user.click(screen.getByRole('button', { name: 'Public' }))
    await user.click(screen.getByRole('button', { name: 'Save changes' }))

    await waitFor(() => expect(onSubmit).toHaveBeenCalled())
    expect(onSubmit.mock.calls[0]?.[0]).toMatchObject({
      kind: 'update',
      routeId: route.route_id,
      body: {
        version: 1,
        methods: { GET: { auth_required: false, auth_type: null }, POST: { auth_required: false, auth_type: null } },
      },
    })
  })

  it("shows the server's field errors next to the fields when it refuses", async () => {
    const refusal = new ApiRequestError(409, 'conflict', 'a route with this pattern, domain and methods exists', [
      { path: 'route_pattern', message: 'already used by the route /v1/orders/* on *' },
      { path: 'methods.GET.auth_type', message: 'HMAC is not enabled on this deployment' },
    ])
    const { user } = setup(undefined, async () => {
      throw refusal
    })
    fill('Path pattern', '/v1/orders/*')
    fill('Service name', 'orders')
    await user.click(screen.getByLabelText('GET HMAC'))
    await user.click(screen.getByRole('button', { name: 'Create route' }))

    expect(await screen.findByText('already used by the route /v1/orders/* on *')).toBeTruthy()
    expect(screen.getByText('HMAC is not enabled on this deployment')).toBeTruthy()
    expect(screen.getByText('a route with this pattern, domain and methods exists')).toBeTruthy()
    // What the admin typed is still there to correct.
    expect(screen.getByLabelText<HTMLInputElement>('Path pattern').value).toBe('/v1/orders/*')
  })
})
