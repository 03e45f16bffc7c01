// Test support (not exported from the package): fast-check arbitraries of valid configuration documents.
import { type ConfigDocument, configDocumentSchema } from '@gatekeeper/models'
import fc from 'fast-check'

function doc(input: unknown): ConfigDocument {
  return configDocumentSchema.parse(input)
}

// Valid documents built from small pools of names, so references resolve and keys collide often.
const methodsArb = fc
  .subarray(['GET', 'POST', 'PUT', 'DELETE'] as const, { minLength: 1 })
  .chain((methods) =>
    fc.tuple(
      fc.constant(methods),
      fc.array(fc.constantFrom('api_key', 'hmac', null), { minLength: methods.length, maxLength: methods.length }),
    ),
  )
  .map(([methods, auths]) =>
    Object.fromEntries(
      methods.map((m, i) => [m, auths[i] ? { auth_required: true, auth_type: auths[i] } : { auth_required: false }]),
    ),
  )

const expiresAtArb = fc.option(fc.integer({ min: 0, max: 4_102_444_800 }))
// Repeats and any order: export writes the set sorted, and the comparison is of canonical documents.
const allowlistArb = fc.option(
  fc.array(fc.constantFrom('10.0.0.0/8', '203.0.113.7', '2001:db8::/32', '192.168.1.0/24'), {
    minLength: 1,
    maxLength: 3,
  }),
)

/** A credential's lifecycle; each field absent, null or set. */
export const credentialLifecycleArb = {
  expires_at: fc.option(expiresAtArb, { nil: undefined }),
  ip_allowlist: fc.option(allowlistArb, { nil: undefined }),
}

/** Small metadata objects: nested values, unicode keys, numbers, booleans and nulls. */
const metadataArb = fc.dictionary(
  fc.constantFrom('plan', 'team', 'Kostenstelle', 'tags', 'n'),
  fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.constantFrom('x', 'y'), { maxLength: 2 }),
    fc.record({ seats: fc.nat(100) }),
  ),
  { maxKeys: 4 },
)

export const documentArb = fc
  .record({
    routes: fc.uniqueArray(
      fc.record({
        domain: fc.constantFrom('*', 'api.example.com', '*.example.org'),
        route_pattern: fc.constantFrom('/a', '/a/*', '/b', '/v1/orders/*', '/'),
        service_name: fc.constantFrom('svc', 'orders', 'Ümlaut service'),
        methods: methodsArb,
      }),
      { selector: (r) => `${r.domain} ${r.route_pattern}`, maxLength: 6 },
    ),
    clients: fc.uniqueArray(
      fc.record({
        client_name: fc.constantFrom('a', 'b', 'billing', 'Z client', 'é'),
        status: fc.constantFrom('active', 'suspended', 'revoked'),
        expires_at: expiresAtArb,
        ip_allowlist: allowlistArb,
        credentials: fc
          .subarray(['api_key', 'shared_secret'] as const)
          .chain((kinds) =>
            fc.tuple(...kinds.map((kind) => fc.record({ kind: fc.constant(kind), ...credentialLifecycleArb }))),
          ),
        metadata: fc.option(metadataArb, { nil: undefined }),
      }),
      { selector: (c) => c.client_name, maxLength: 5 },
    ),
    admins: fc.uniqueArray(fc.constantFrom('a@example.com', 'b@example.com', 'c@example.org'), { maxLength: 3 }),
    grantSeeds: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { maxLength: 8 }),
    limitSeeds: fc.array(
      fc.tuple(fc.nat(), fc.option(fc.integer({ min: 1, max: 1000 })), fc.integer({ min: 1, max: 9 })),
      { maxLength: 4 },
    ),
  })
  .map(({ routes, clients, admins, grantSeeds, limitSeeds }) => {
    const permissions = new Map<string, unknown>()
    if (routes.length > 0 && clients.length > 0) {
      for (const [r, c, m] of grantSeeds) {
        const route = routes[r % routes.length]
        const client = clients[c % clients.length]
        if (route === undefined || client === undefined) continue
        const methods = Object.keys(route.methods)
        const method = methods[m % methods.length]
        permissions.set(`${client.client_name} ${route.domain} ${route.route_pattern}`, {
          client_name: client.client_name,
          domain: route.domain,
          route_pattern: route.route_pattern,
          allowed_methods: [method],
        })
      }
    }
    const limits = new Map<string, unknown>()
    if (clients.length > 0) {
      for (const [c, perDay, perMinute] of limitSeeds) {
        const client = clients[c % clients.length]
        if (client === undefined) continue
        limits.set(client.client_name, {
          client_name: client.client_name,
          requests_per_day: perDay,
          requests_per_minute: perMinute,
        })
      }
    }
    return doc({
      version: 1,
      routes,
      clients,
      permissions: [...permissions.values()],
      rate_limits: [...limits.values()],
      console_admins: admins.map((email) => ({ email })),
    })
  })
