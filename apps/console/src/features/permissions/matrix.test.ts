import { describe, expect, it } from 'vitest'
import { clientFixture, permissionFixture, routeFixture } from '../../../test/fixtures'
import { cellMethods, toggleChange } from './matrix'

const client = clientFixture()
const route = routeFixture({
  methods: { GET: { auth_required: false, auth_type: null }, DELETE: { auth_required: true, auth_type: 'hmac' } },
})

describe('toggleChange', () => {
  it('grants a single method on an empty cell', () => {
    expect(toggleChange(undefined, client.client_id, route.route_id, 'DELETE', true)).toEqual({
      kind: 'grant',
      body: { client_id: client.client_id, route_id: route.route_id, allowed_methods: ['DELETE'] },
    })
  })

  it('sends the whole method list, in canonical order, when adding to a grant', () => {
    const grant = permissionFixture(client, route, ['DELETE'])
    const change = toggleChange(grant, client.client_id, route.route_id, 'GET', true)
    expect(change).toEqual({
      kind: 'grant',
      body: { client_id: client.client_id, route_id: route.route_id, allowed_methods: ['GET', 'DELETE'] },
    })
  })

  it('revokes when the last method goes, and does nothing for a no-op', () => {
    const grant = permissionFixture(client, route, ['GET'])
    expect(toggleChange(grant, client.client_id, route.route_id, 'GET', false)).toEqual({
      kind: 'revoke',
      permissionId: grant.permission_id,
    })
    expect(toggleChange(grant, client.client_id, route.route_id, 'GET', true)).toEqual({ kind: 'none' })
    expect(toggleChange(undefined, client.client_id, route.route_id, 'GET', false)).toEqual({ kind: 'none' })
  })
})

describe('cellMethods', () => {
  it("offers the route's methods plus any stale granted method, so it can be removed", () => {
    expect(cellMethods(route, undefined)).toEqual(['GET', 'DELETE'])
    expect(cellMethods(route, permissionFixture(client, route, ['PATCH']))).toEqual(['GET', 'DELETE', 'PATCH'])
  })
})
