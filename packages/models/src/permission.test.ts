import { describe, expect, it } from 'vitest'
import { permissionGrantSchema, permissionListQuerySchema, permissionWireSchema } from './permission'
import { issueLines, itRejects } from './test-helpers'

const CLIENT = '6f1c2a1e-8a7b-4c1d-9e2f-0a1b2c3d4e5f'
const ROUTE = '0b7e4a52-93c4-4b7e-a1f0-2c9d8e7f6a5b'

describe('permissionGrantSchema', () => {
  it('deduplicates and sorts methods', () => {
    const parsed = permissionGrantSchema.parse({
      client_id: CLIENT,
      route_id: ROUTE,
      allowed_methods: ['DELETE', 'GET', 'POST', 'GET'],
    })
    expect(parsed.allowed_methods).toEqual(['GET', 'POST', 'DELETE'])
  })

  it('lowercases ids', () => {
    const parsed = permissionGrantSchema.parse({
      client_id: CLIENT.toUpperCase(),
      route_id: ROUTE,
      allowed_methods: ['GET'],
    })
    expect(parsed.client_id).toBe(CLIENT)
  })

  it('accepts ids from the original deployment that are not RFC 4122 v1-v8', () => {
    const legacy = '00000000-0000-0000-0000-000000000001'
    expect(
      permissionGrantSchema.parse({ client_id: legacy, route_id: ROUTE, allowed_methods: ['GET'] }).client_id,
    ).toBe(legacy)
  })

  itRejects(permissionGrantSchema, [
    [{ client_id: CLIENT, route_id: ROUTE, allowed_methods: [] }, 'allowed_methods: at least one method is required'],
    [{ client_id: CLIENT, route_id: ROUTE, allowed_methods: ['get'] }, 'allowed_methods.0: expected one of GET'],
    [{ client_id: 'client-1', route_id: ROUTE, allowed_methods: ['GET'] }, 'client_id: expected a UUID'],
    [{ client_id: CLIENT, allowed_methods: ['GET'] }, 'route_id:'],
  ])
})

describe('permissionWireSchema', () => {
  it('accepts the compat shape', () => {
    const wire = {
      permission_id: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
      client_id: CLIENT,
      client_name: 'billing',
      route_id: ROUTE,
      route_domain: '*',
      route_pattern: '/api/*',
      route_service_name: 'api',
      allowed_methods: ['GET', 'POST'],
      created_at: 1_700_000_000,
    }
    expect(permissionWireSchema.parse(wire)).toEqual(wire)
    expect(permissionWireSchema.safeParse({ ...wire, allowed_methods: ['FETCH'] }).success).toBe(false)
  })
})

describe('permissionListQuerySchema', () => {
  it('treats empty filters as absent', () => {
    expect(permissionListQuerySchema.parse({ client_id: '', route_id: ROUTE })).toEqual({
      client_id: undefined,
      route_id: ROUTE,
    })
  })

  it('rejects a malformed id filter', () => {
    expect(issueLines(permissionListQuerySchema.safeParse({ client_id: 'x' }))).toEqual(['client_id: expected a UUID'])
  })
})
