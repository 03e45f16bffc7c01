import type {
  AuditEntryWire,
  ClientCreatedWire,
  ClientWire,
  PermissionWire,
  RateLimitWire,
  RouteWire,
} from '@gatekeeper/models'
import { beforeAll, describe, expect, it } from 'vitest'
import { cliJson, createRoute, expectOneLineError, runCli, useCliDatabase } from './support/cli'

// Clients and routes named the way people remember them, not by UUID.

const { env } = useCliDatabase()
let orders: ClientCreatedWire
let twinA: ClientCreatedWire
let twinB: ClientCreatedWire
let ordersRoute: RouteWire
let adminA: RouteWire
let adminB: RouteWire

const apiKeyRoute = (pattern: string, domain: string, service: string) =>
  createRoute(env, { pattern, domain, service, methods: 'GET=api_key' })

beforeAll(async () => {
  orders = await cliJson<ClientCreatedWire>(['client', 'create', '--name', 'orders-web', '--api-key'], env)
  twinA = await cliJson<ClientCreatedWire>(['client', 'create', '--name', 'Twin', '--api-key'], env)
  twinB = await cliJson<ClientCreatedWire>(['client', 'create', '--name', 'Twin', '--shared-secret'], env)
  ordersRoute = await apiKeyRoute('/api/orders/*', 'api.example.com', 'orders')
  adminA = await apiKeyRoute('/admin', 'a.example.com', 'admin-a')
  adminB = await apiKeyRoute('/admin', 'b.example.com', 'admin-b')
}, 60_000)

describe('a client by name', () => {
  it('show, update, suspend and rate-limit take the name (exact, else ignoring case)', async () => {
    const byName = await cliJson<ClientWire>(['client', 'show', 'orders-web'], env)
    expect(byName.client_id).toBe(orders.client_id)
    expect((await cliJson<ClientWire>(['client', 'show', 'ORDERS-WEB'], env)).client_id).toBe(orders.client_id)

    const suspended = await cliJson<ClientWire>(['client', 'suspend', 'orders-web'], env)
    expect([suspended.client_id, suspended.status]).toEqual([orders.client_id, 'suspended'])
    await cliJson(['client', 'activate', 'orders-web'], env)

    const limit = await cliJson<RateLimitWire>(['rate-limit', 'set', 'orders-web', '--per-day', '500'], env)
    expect([limit.client_id, limit.requests_per_day]).toEqual([orders.client_id, 500])
  })

  it('audit --entity takes a client or route by name', async () => {
    const byName = await cliJson<AuditEntryWire[]>(['audit', '--entity', 'client:orders-web'], env)
    const byId = await cliJson<AuditEntryWire[]>(['audit', '--entity', `client:${orders.client_id}`], env)
    expect(byName.length).toBeGreaterThan(0)
    expect(byName).toEqual(byId)
    const route = await cliJson<AuditEntryWire[]>(['audit', '--entity', 'route:orders'], env)
    expect(route.map((e) => [e.entity_id, e.action])).toEqual([[ordersRoute.route_id, 'route.create']])
  })

  it('a name two clients share is refused (exit 2), listing both ids to choose from', async () => {
    const result = await runCli(['client', 'show', 'Twin'], env)
    expect(result.code).toBe(2)
    const line = expectOneLineError(result)
    expect(line).toMatch(/^gatekeeper: client name "Twin" is ambiguous: 2 match, give one of these ids instead: /)
    expect(line).toContain(`${twinA.client_id} (active, key gk_`)
    expect(line).toContain(`${twinB.client_id} (active, hmac secret`)
    // Its id still works, and nothing was changed by the refused command.
    expect((await cliJson<ClientWire>(['client', 'show', twinB.client_id], env)).client_name).toBe('Twin')
  })

  it('an unknown name is not found (exit 3)', async () => {
    const result = await runCli(['client', 'delete', 'nobody-has-this-name', '--yes'], env)
    expect(result.code).toBe(3)
    expect(expectOneLineError(result)).toBe(
      'gatekeeper: no client with the id or name "nobody-has-this-name" (`gatekeeper client list` shows them)',
    )
  })
})

describe('a route by pattern, domain/pattern or service name', () => {
  it('route show takes each form', async () => {
    for (const ref of ['/api/orders/*', 'api.example.com/api/orders/*', 'orders', ordersRoute.route_id]) {
      expect((await cliJson<RouteWire>(['route', 'show', ref], env)).route_id, ref).toBe(ordersRoute.route_id)
    }
    expect((await cliJson<RouteWire>(['route', 'show', 'b.example.com/admin'], env)).route_id).toBe(adminB.route_id)
    expect((await cliJson<RouteWire>(['route', 'show', 'admin-a'], env)).route_id).toBe(adminA.route_id)
  })

  it('a pattern on two domains is refused (exit 2), listing both routes', async () => {
    const result = await runCli(['route', 'delete', '/admin', '--yes'], env)
    expect(result.code).toBe(2)
    const line = expectOneLineError(result)
    expect(line).toMatch(/^gatekeeper: route pattern "\/admin" is ambiguous: 2 match/)
    expect(line).toContain(`${adminA.route_id} (a.example.com/admin, service admin-a)`)
    expect(line).toContain(`${adminB.route_id} (b.example.com/admin, service admin-b)`)
    expect((await cliJson<RouteWire[]>(['route', 'list'], env)).map((r) => r.route_id)).toContain(adminA.route_id)
  })

  it('an unknown route is not found (exit 3)', async () => {
    const result = await runCli(['route', 'show', '/nowhere'], env)
    expect(result.code).toBe(3)
    expect(expectOneLineError(result)).toMatch(/^gatekeeper: no route with the id, pattern, .* "\/nowhere"/)
  })
})

describe('permissions by names', () => {
  it('grant, list and revoke with --client and --route given by name', async () => {
    const granted = await cliJson<{ permission: PermissionWire }>(
      ['permission', 'grant', '--client', 'orders-web', '--route', 'orders', '--methods', 'GET'],
      env,
    )
    expect([granted.permission.client_id, granted.permission.route_id]).toEqual([
      orders.client_id,
      ordersRoute.route_id,
    ])
    const listed = await cliJson<PermissionWire[]>(['permission', 'list', '--client', 'orders-web'], env)
    expect(listed.map((p) => p.route_id)).toEqual([ordersRoute.route_id])
    const ambiguous = await runCli(['permission', 'list', '--client', 'Twin'], env)
    expect(ambiguous.code).toBe(2)

    await cliJson(['permission', 'revoke', '--client', 'orders-web', '--route', '/api/orders/*', '--yes'], env)
    expect(await cliJson<PermissionWire[]>(['permission', 'list', '--route', 'orders'], env)).toEqual([])
  })
})
