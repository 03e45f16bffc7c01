import type { ClientWire, PermissionWire, RouteWire } from '@gatekeeper/models'
import { permissionSubjects } from '@gatekeeper/models/testing'

const NOW = 1_790_000_000
let counter = 0

/** A UUID-shaped id unique within the test run (the wire schemas require UUIDs). */
function uuid(): string {
  counter += 1
  return `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`
}

export function routeFixture(overrides: Partial<RouteWire> = {}): RouteWire {
  return {
    route_id: uuid(),
    route_pattern: '/v1/orders/*',
    domain: '*',
    service_name: 'orders',
    methods: { GET: { auth_required: true, auth_type: 'api_key' }, POST: { auth_required: true, auth_type: 'hmac' } },
    created_at: NOW,
    updated_at: NOW,
    version: 1,
    ...overrides,
  }
}

export function clientFixture(overrides: Partial<ClientWire> = {}): ClientWire {
  return {
    client_id: uuid(),
    client_name: 'billing',
    status: 'active',
    api_key_masked: 'ak_live_…2345',
    created_at: NOW,
    updated_at: NOW,
    has_shared_secret: false,
    version: 1,
    ...overrides,
  }
}

export function permissionFixture(
  client: ClientWire,
  route: RouteWire,
  methods: PermissionWire['allowed_methods'],
): PermissionWire {
  return {
    permission_id: uuid(),
    ...permissionSubjects(client, route),
    allowed_methods: methods,
    created_at: NOW,
  }
}
