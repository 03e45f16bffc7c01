import type { ClientWire, PermissionWire, RouteWire } from '@gatekeeper/models'
import { describe, expect, it } from 'vitest'
import { cliJson, createRoute, useCliDatabase } from './support/cli'
import { keys, runInteractive } from './support/pty'

// The CLI on a real pseudo-terminal: prompts appear, answers are validated, choices land in the database.

const { env } = useCliDatabase()

describe('interactive', () => {
  it('creates a route from prompts: pattern (re-asked when invalid), domain, service, methods and their auth', async () => {
    const result = await runInteractive(['route', 'create'], env, [
      { expect: 'Route pattern' },
      { send: `api${keys.enter}` },
      { expect: "must start with '/'" },
      { send: `${keys.backspace.repeat(3)}/api/tty/*${keys.enter}` },
      { expect: 'Domain' },
      { send: keys.enter }, // keeps the offered '*'
      { expect: 'Service name' },
      { send: `tty-service${keys.enter}` },
      { expect: 'HTTP methods' },
      { send: keys.down }, // GET is preselected; move to POST
      { send: keys.space },
      { send: keys.enter },
      { expect: 'GET: authentication' },
      { send: keys.enter }, // public
      { expect: 'POST: authentication' },
      { send: keys.down }, // API key
      { send: keys.enter },
      { expect: 'created route' },
    ])
    expect(result.failed, result.transcript).toBeNull()
    expect(result.code).toBe(0)
    const routes = await cliJson<RouteWire[]>(['route', 'list'], env)
    const route = routes.find((r) => r.route_pattern === '/api/tty/*')
    expect(route).toMatchObject({
      domain: '*',
      service_name: 'tty-service',
      methods: { GET: { auth_required: false, auth_type: null }, POST: { auth_required: true, auth_type: 'api_key' } },
    })
  })

  it('grants a permission by picking the client and route from lists and the methods from a multiselect', async () => {
    const client = await cliJson<ClientWire>(['client', 'create', '--name', 'Picker client', '--api-key'], env)
    const route = await createRoute(env, {
      pattern: '/api/picked',
      service: 'picked',
      methods: 'GET=api_key,POST=api_key,DELETE=hmac',
    })
    const clients = await cliJson<ClientWire[]>(['client', 'list'], env)
    const routes = await cliJson<RouteWire[]>(['route', 'list'], env)
    const clientIndex = clients.findIndex((c) => c.client_id === client.client_id)
    const routeIndex = routes.findIndex((r) => r.route_id === route.route_id)
    const result = await runInteractive(['permission', 'grant'], env, [
      { expect: 'Client' },
      ...Array.from({ length: clientIndex }, () => ({ send: keys.down })),
      { send: keys.enter },
      { expect: 'Route' },
      ...Array.from({ length: routeIndex }, () => ({ send: keys.down })),
      { send: keys.enter },
      { expect: 'Methods to allow' },
      // All three of the route's methods are preselected: drop DELETE (the third).
      { send: keys.down },
      { send: keys.down },
      { send: keys.space },
      { send: keys.enter },
      { expect: 'Grant this permission' },
      { send: 'y' },
      { send: keys.enter },
      { expect: 'granted' },
    ])
    expect(result.failed, result.transcript).toBeNull()
    expect(result.code).toBe(0)
    const permissions = await cliJson<PermissionWire[]>(['permission', 'list', '--client', client.client_id], env)
    expect(permissions).toHaveLength(1)
    expect(permissions[0]).toMatchObject({ route_id: route.route_id, allowed_methods: ['GET', 'POST'] })
  })

  it('deletes only after the word is typed: a wrong word aborts with exit 5 and keeps the route', async () => {
    const route = await cliJson<RouteWire>(
      ['route', 'create', '--pattern', '/api/doomed', '--service', 'd', '--method', 'GET=public'],
      env,
    )
    const typeToDelete = (word: string, outcome: string) =>
      runInteractive(['route', 'delete', route.route_id], env, [
        { expect: 'Type delete to confirm' },
        { send: `${word}${keys.enter}` },
        { expect: outcome },
      ])
    const refused = await typeToDelete('yes', 'nothing was changed')
    expect(refused.failed, refused.transcript).toBeNull()
    expect(refused.code).toBe(5)
    expect(await cliJson<RouteWire>(['route', 'show', route.route_id], env)).toMatchObject({ route_id: route.route_id })

    const deleted = await typeToDelete('delete', 'deleted route')
    expect(deleted.failed, deleted.transcript).toBeNull()
    expect(deleted.code).toBe(0)
    const routes = await cliJson<RouteWire[]>(['route', 'list'], env)
    expect(routes.some((r) => r.route_id === route.route_id)).toBe(false)
  })
})
