import type { RouteWire } from '@gatekeeper/models'
import { describe, expect, it } from 'vitest'
import { cliJson, expectOneLineError, runCli, useCliDatabase } from './support/cli'

const { env } = useCliDatabase()

const createArgs = (pattern: string, ...more: string[]) => [
  'route',
  'create',
  '--pattern',
  pattern,
  '--domain',
  'API.Example.com',
  '--service',
  'users',
  '--method',
  'GET=public',
  '--method',
  'post=api_key,DELETE=hmac',
  ...more,
]

describe('route', () => {
  it('create --json returns the wire route; list, show agree', async () => {
    const route = await cliJson<RouteWire>(createArgs('/api/users/*'), env)
    expect(route).toMatchObject({
      route_pattern: '/api/users/*',
      domain: 'api.example.com',
      service_name: 'users',
      methods: {
        GET: { auth_required: false, auth_type: null },
        POST: { auth_required: true, auth_type: 'api_key' },
        DELETE: { auth_required: true, auth_type: 'hmac' },
      },
      version: 1,
    })
    expect(Object.keys(route.methods)).toEqual(['GET', 'POST', 'DELETE'])
    expect(route.created_at).toBeGreaterThan(1_700_000_000)

    const listed = await cliJson<RouteWire[]>(['route', 'list'], env)
    expect(listed).toContainEqual(route)
    expect(await cliJson<RouteWire>(['route', 'show', route.route_id], env)).toEqual(route)
    const filtered = await cliJson<RouteWire[]>(['route', 'list', '--service', 'nobody'], env)
    expect(filtered).toEqual([])

    const human = await runCli(['route', 'list'], env)
    expect(human.code).toBe(0)
    expect(human.stdout).toContain('/api/users/*')
    expect(human.stdout).toContain('POST:api_key')
  })

  it('hmac_v2 and hmac_any set the signature version a method requires', async () => {
    const route = await cliJson<RouteWire>(
      ['route', 'create', '--pattern', '/api/v2', '--service', 'v2', '--method', 'POST=hmac_v2,GET=hmac-any,PUT=hmac'],
      env,
    )
    expect(route.methods).toEqual({
      GET: { auth_required: true, auth_type: 'hmac', signature_version: 'any' },
      POST: { auth_required: true, auth_type: 'hmac', signature_version: 'v2' },
      PUT: { auth_required: true, auth_type: 'hmac' },
    })
    const human = await runCli(['route', 'show', route.route_id], env)
    expect(human.stdout).toContain('GET:hmac_any POST:hmac_v2 PUT:hmac')
  })

  it('update merges --method, drops --remove-method, and refuses a stale --if-version (exit 4)', async () => {
    const route = await cliJson<RouteWire>(createArgs('/api/orders/*'), env)
    const updated = await cliJson<RouteWire>(
      ['route', 'update', route.route_id, '--method', 'GET=hmac', '--remove-method', 'DELETE', '--service', 'orders'],
      env,
    )
    expect(updated.service_name).toBe('orders')
    expect(updated.methods).toEqual({
      GET: { auth_required: true, auth_type: 'hmac' },
      POST: { auth_required: true, auth_type: 'api_key' },
    })
    expect(updated.version).toBe(2)

    const stale = await runCli(['route', 'update', route.route_id, '--service', 'x', '--if-version', '1'], env)
    expect(stale.code).toBe(4)
    expect(expectOneLineError(stale)).toMatch(/changed by someone else/)
    expect((await cliJson<RouteWire>(['route', 'show', route.route_id], env)).service_name).toBe('orders')

    const nothing = await runCli(['route', 'update', route.route_id], env)
    expect(nothing.code).toBe(2)
    expect(expectOneLineError(nothing)).toMatch(/nothing to change/)
  })

  it('delete is refused without --yes when no terminal is attached (exit 5, nothing deleted)', async () => {
    const route = await cliJson<RouteWire>(createArgs('/api/keep'), env)
    const refused = await runCli(['route', 'delete', route.route_id], env)
    expect(refused.code).toBe(5)
    expect(expectOneLineError(refused)).toMatch(/refusing to delete route .* pass --yes/)
    expect(refused.stdout).toContain('No permissions refer to it.')
    expect(await cliJson<RouteWire>(['route', 'show', route.route_id], env)).toMatchObject({ route_id: route.route_id })
  })

  it('delete --yes shows and performs the cascade', async () => {
    const route = await cliJson<RouteWire>(createArgs('/api/gone'), env)
    const client = await cliJson<{ client_id: string }>(['client', 'create', '--name', 'c', '--api-key'], env)
    await cliJson(
      ['permission', 'grant', '--client', client.client_id, '--route', route.route_id, '--methods', 'GET'],
      env,
    )
    const preview = await runCli(['route', 'delete', route.route_id], env)
    expect(preview.stdout).toMatch(/also revokes 1 permission:\n {2}- c \(GET\)/)
    const removed = await cliJson<{ route: RouteWire; cascaded: { permissions: number } }>(
      ['route', 'delete', route.route_id, '--yes'],
      env,
    )
    expect(removed.route.route_id).toBe(route.route_id)
    expect(removed.cascaded).toEqual({ permissions: 1 })
    const gone = await runCli(['route', 'show', route.route_id], env)
    expect(gone.code).toBe(3)
    expect(await cliJson(['permission', 'list', '--client', client.client_id], env)).toEqual([])
  })

  it('bad input: one line naming the problem, exit 2; duplicates exit 4; unknown ids exit 3', async () => {
    const badPattern = await runCli(createArgs('api/no-slash'), env)
    expect(badPattern.code).toBe(2)
    expect(expectOneLineError(badPattern)).toBe("gatekeeper: route_pattern: must start with '/'")

    const badMethod = await runCli(
      ['route', 'create', '--pattern', '/x', '--service', 's', '--method', 'FETCH=public'],
      env,
    )
    expect(badMethod.code).toBe(2)
    expect(expectOneLineError(badMethod)).toMatch(/"FETCH" is not a method/)

    const badAuth = await runCli(['route', 'create', '--pattern', '/x', '--service', 's', '--method', 'GET=oauth'], env)
    expect(badAuth.code).toBe(2)
    expect(expectOneLineError(badAuth)).toMatch(/"oauth" is not an auth type/)

    const missing = await runCli(['route', 'create', '--service', 's', '--method', 'GET=public'], env)
    expect(missing.code).toBe(2)
    expect(expectOneLineError(missing)).toMatch(/missing --pattern/)

    await cliJson(createArgs('/api/dup'), env)
    const duplicate = await runCli(createArgs('/api/dup'), env)
    expect(duplicate.code).toBe(4)
    expect(expectOneLineError(duplicate)).toMatch(/already exists/)

    const unknown = await runCli(['route', 'show', '00000000-0000-4000-8000-000000000000'], env)
    expect(unknown.code).toBe(3)
    expect(expectOneLineError(unknown)).toBe('gatekeeper: route not found')

    const unknownOption = await runCli(['route', 'list', '--colour'], env)
    expect(unknownOption.code).toBe(2)
    expect(expectOneLineError(unknownOption)).toMatch(/unknown option '--colour'/)
  })
})
