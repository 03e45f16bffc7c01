import { count, eq } from 'drizzle-orm'
import type { PgInsertValue, PgTable } from 'drizzle-orm/pg-core'
import { describe, expect, it } from 'vitest'
import {
  clientCredentials,
  clientPermissions,
  clients,
  consoleAdmins,
  type NewRoute,
  rateLimits,
  routes,
} from '../src/schema'
import {
  apiKeyCredentialFixture,
  clientFixture,
  permissionFixture,
  rateLimitFixture,
  routeFixture,
  sharedSecretCredentialFixture,
} from './fixtures'
import { useDb } from './use-db'

const { handle } = useDb()

/** The Postgres error a rejected write carries (drizzle wraps it in `cause`). */
async function pgError(write: Promise<unknown>): Promise<{ code?: string; constraint?: string }> {
  try {
    await write
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err
    return cause as { code?: string; constraint?: string }
  }
  throw new Error('write was accepted')
}

/**
 * The database refuses the insert, naming this constraint, with the SQLSTATE of its kind: 23514 for a CHECK
 * (`..._check`), 23505 for a unique constraint or index (`..._key`).
 */
async function expectInsertRefused<T extends PgTable>(table: T, values: PgInsertValue<T>, constraint: string) {
  const code = constraint.endsWith('_check') ? '23514' : constraint.endsWith('_key') ? '23505' : undefined
  if (code === undefined) throw new Error(`no SQLSTATE known for the constraint ${constraint}`)
  expect(await pgError(handle.db.insert(table).values(values))).toMatchObject({ code, constraint })
}

async function newClient() {
  const [client] = await handle.db.insert(clients).values(clientFixture()).returning()
  if (client === undefined) throw new Error('no client')
  return client
}

async function newRoute(overrides: Partial<NewRoute> = {}) {
  const [route] = await handle.db.insert(routes).values(routeFixture(overrides)).returning()
  if (route === undefined) throw new Error('no route')
  return route
}

describe('constraints', () => {
  it('reject a second grant for the same client and route', async () => {
    const client = await newClient()
    const route = await newRoute()
    await handle.db.insert(clientPermissions).values(permissionFixture(client.id, route.id))
    await expectInsertRefused(
      clientPermissions,
      permissionFixture(client.id, route.id, { allowedMethods: ['POST'] }),
      'client_permissions_client_id_route_id_key',
    )
  })

  it.each([
    ['an unknown method', ['GET', 'TRACE']],
    ['a lowercase method', ['get']],
    ['no method', []],
    ['a null method', ['GET', null]],
  ])('reject allowed_methods with %s', async (_label, methods) => {
    const client = await newClient()
    const route = await newRoute()
    await expectInsertRefused(
      clientPermissions,
      permissionFixture(client.id, route.id, { allowedMethods: methods as ['GET'] }),
      'client_permissions_allowed_methods_check',
    )
  })

  it('cascade a client delete to its credentials, grants and rate limit', async () => {
    const client = await newClient()
    const route = await newRoute()
    await handle.db
      .insert(clientCredentials)
      .values([apiKeyCredentialFixture(client.id), sharedSecretCredentialFixture(client.id)])
    await handle.db.insert(clientPermissions).values(permissionFixture(client.id, route.id))
    await handle.db.insert(rateLimits).values(rateLimitFixture(client.id))

    await handle.db.delete(clients).where(eq(clients.id, client.id))

    const left = await Promise.all([
      handle.db.select({ n: count() }).from(clientCredentials).where(eq(clientCredentials.clientId, client.id)),
      handle.db.select({ n: count() }).from(clientPermissions).where(eq(clientPermissions.clientId, client.id)),
      handle.db.select({ n: count() }).from(rateLimits).where(eq(rateLimits.clientId, client.id)),
    ])
    expect(left.map((rows) => rows[0]?.n)).toEqual([0, 0, 0])
    expect(await handle.db.select().from(routes).where(eq(routes.id, route.id))).toHaveLength(1)
  })

  it('cascade a route delete to its grants', async () => {
    const client = await newClient()
    const route = await newRoute()
    await handle.db.insert(clientPermissions).values(permissionFixture(client.id, route.id))
    await handle.db.delete(routes).where(eq(routes.id, route.id))
    expect(
      await handle.db.select().from(clientPermissions).where(eq(clientPermissions.routeId, route.id)),
    ).toHaveLength(0)
    expect(await handle.db.select().from(clients).where(eq(clients.id, client.id))).toHaveLength(1)
  })

  it('reject an unknown client status', async () => {
    await expectInsertRefused(clients, clientFixture({ status: 'deleted' as 'active' }), 'clients_status_check')
  })

  it('reject a credential row carrying both a digest and a sealed secret', async () => {
    const client = await newClient()
    const sealed = sharedSecretCredentialFixture(client.id)
    for (const kind of ['api_key', 'shared_secret'] as const) {
      await expectInsertRefused(
        clientCredentials,
        apiKeyCredentialFixture(client.id, {
          kind,
          secretSealed: sealed.secretSealed,
          secretKeyId: sealed.secretKeyId,
        }),
        'client_credentials_columns_check',
      )
    }
  })

  it('reject a raw secret or a malformed digest in place of the stored forms', async () => {
    const client = await newClient()
    await expectInsertRefused(
      clientCredentials,
      sharedSecretCredentialFixture(client.id, { secretSealed: 'gks_thisIsARawSecretNotSealed' }),
      'client_credentials_secret_sealed_check',
    )
    await expectInsertRefused(
      clientCredentials,
      sharedSecretCredentialFixture(client.id, { secretKeyId: 'other' }),
      'client_credentials_secret_sealed_check',
    )
    await expectInsertRefused(
      clientCredentials,
      apiKeyCredentialFixture(client.id, { apiKeyDigest: 'AB'.repeat(32) }),
      'client_credentials_api_key_digest_check',
    )
  })

  it('allow one current credential of each kind per client, plus rotated-out ones', async () => {
    const client = await newClient()
    await handle.db.insert(clientCredentials).values(apiKeyCredentialFixture(client.id))
    await expectInsertRefused(clientCredentials, apiKeyCredentialFixture(client.id), 'client_credentials_current_key')

    // Rotation: the old key gets an expiry, then a new current one fits; a secret is independent.
    await handle.db
      .update(clientCredentials)
      .set({ expiresAt: new Date(Date.now() + 60_000) })
      .where(eq(clientCredentials.clientId, client.id))
    await handle.db.insert(clientCredentials).values(apiKeyCredentialFixture(client.id))
    await handle.db.insert(clientCredentials).values(sharedSecretCredentialFixture(client.id))
  })

  it('reject the same API key digest on two clients', async () => {
    const a = await newClient()
    const b = await newClient()
    const key = apiKeyCredentialFixture(a.id)
    await handle.db.insert(clientCredentials).values(key)
    await expectInsertRefused(clientCredentials, { ...key, clientId: b.id }, 'client_credentials_api_key_digest_key')
  })

  it.each<[string, Partial<NewRoute>, string]>([
    ['a pattern without a leading slash', { routePattern: 'api/*' }, 'routes_route_pattern_check'],
    ['a star inside the pattern', { routePattern: '/api/*/x' }, 'routes_route_pattern_check'],
    ['a star not after a slash', { routePattern: '/api*' }, 'routes_route_pattern_check'],
    ['whitespace in the pattern', { routePattern: '/a b' }, 'routes_route_pattern_check'],
    ['a query string in the pattern', { routePattern: '/a?b=1' }, 'routes_route_pattern_check'],
    ['an uppercase domain', { domain: 'API.example.com' }, 'routes_domain_check'],
    ['a domain with a space', { domain: 'api example.com' }, 'routes_domain_check'],
    ['a star in the middle of a domain', { domain: 'api.*.com' }, 'routes_domain_check'],
    ['a domain with a port', { domain: 'api.example.com:8080' }, 'routes_domain_check'],
    ['an empty service name', { serviceName: '  ' }, 'routes_service_name_check'],
    ['no methods', { methods: {} }, 'routes_methods_check'],
    [
      'an unknown method key',
      { methods: { FETCH: { auth_required: false, auth_type: null } } as never },
      'routes_methods_check',
    ],
    ['a methods array', { methods: [] as never }, 'routes_methods_check'],
    [
      'auth required without a type',
      { methods: { GET: { auth_required: true, auth_type: null } } },
      'routes_methods_rules_check',
    ],
    [
      'an auth type on a public method',
      { methods: { GET: { auth_required: false, auth_type: 'hmac' } } },
      'routes_methods_rules_check',
    ],
    [
      'an unknown auth type',
      { methods: { GET: { auth_required: true, auth_type: 'basic' as 'hmac' } } },
      'routes_methods_rules_check',
    ],
    [
      'a non-boolean auth_required',
      { methods: { GET: { auth_required: 'yes' as never, auth_type: null } } },
      'routes_methods_rules_check',
    ],
  ])('reject a route with %s', async (_label, overrides, constraint) => {
    await expectInsertRefused(routes, routeFixture(overrides), constraint)
  })

  it.each<[string, Partial<NewRoute>]>([
    ['the catch-all pattern', { routePattern: '/*' }],
    ['an exact path', { routePattern: '/health' }],
    ['any domain', { domain: '*' }],
    ['a wildcard domain', { domain: '*.example.com' }],
    ['an IPv4 host', { domain: '10.0.0.1' }],
    [
      'every method, with an HMAC signature version',
      {
        methods: {
          GET: { auth_required: false, auth_type: null },
          POST: { auth_required: true, auth_type: 'hmac', signature_version: 'v2' },
          PUT: { auth_required: true, auth_type: 'api_key' },
          DELETE: { auth_required: true, auth_type: 'api_key' },
          PATCH: { auth_required: true, auth_type: 'api_key' },
          HEAD: { auth_required: false, auth_type: null },
          OPTIONS: { auth_required: false } as never,
        },
      },
    ],
  ])('accept a route with %s', async (_label, overrides) => {
    await newRoute(overrides)
  })

  it('reject a duplicate (domain, pattern) route', async () => {
    const route = await newRoute()
    await expectInsertRefused(
      routes,
      routeFixture({ domain: route.domain, routePattern: route.routePattern }),
      'routes_domain_route_pattern_key',
    )
  })

  it('reject rate limits that limit nothing or are not positive', async () => {
    const client = await newClient()
    await expectInsertRefused(
      rateLimits,
      rateLimitFixture(client.id, { requestsPerDay: null, requestsPerMinute: null }),
      'rate_limits_some_limit_check',
    )
    await expectInsertRefused(
      rateLimits,
      rateLimitFixture(client.id, { requestsPerDay: 0 }),
      'rate_limits_requests_per_day_check',
    )
  })

  it('keep console admin emails lowercase and unique', async () => {
    await expectInsertRefused(consoleAdmins, { email: 'Ada@Example.com', source: 'cli' }, 'console_admins_email_check')
    await handle.db.insert(consoleAdmins).values({ email: 'ada@example.com', source: 'cli' })
    await expectInsertRefused(consoleAdmins, { email: 'ada@example.com', source: 'api' }, 'console_admins_email_key')
  })
})
