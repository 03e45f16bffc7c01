import type { PermissionGranted, PermissionWireWithVersion } from '@gatekeeper/db/admin'
import type { ClientCreatedWire, RouteWire } from '@gatekeeper/models'
import { beforeAll, describe, expect, it } from 'vitest'
import { cliJson, createRoute, expectOneLineError, runCli, useCliDatabase } from './support/cli'

const { env } = useCliDatabase()
let client: ClientCreatedWire
let route: RouteWire
let other: RouteWire

beforeAll(async () => {
  client = await cliJson<ClientCreatedWire>(['client', 'create', '--name', 'Grantee', '--api-key'], env)
  route = await createRoute(env, {
    pattern: '/api/products/*',
    service: 'products',
    methods: 'GET=public,POST=api_key,DELETE=hmac',
  })
  other = await createRoute(env, { pattern: '/api/other', service: 'other', methods: 'GET=api_key' })
})

describe('permission', () => {
  it('grant creates, a second grant replaces the methods; list filters by client and route', async () => {
    const first = await cliJson<PermissionGranted>(
      ['permission', 'grant', '--client', client.client_id, '--route', route.route_id, '--methods', 'post,GET'],
      env,
    )
    expect(first.created).toBe(true)
    expect(first.permission).toMatchObject({
      client_id: client.client_id,
      client_name: 'Grantee',
      route_id: route.route_id,
      route_pattern: '/api/products/*',
      route_service_name: 'products',
      allowed_methods: ['GET', 'POST'],
    })
    const second = await cliJson<PermissionGranted>(
      [
        'permission',
        'grant',
        '--client',
        client.client_id,
        '--route',
        route.route_id,
        '--methods',
        'GET',
        '--methods',
        'DELETE',
      ],
      env,
    )
    expect(second.created).toBe(false)
    expect(second.permission.permission_id).toBe(first.permission.permission_id)
    expect(second.permission.allowed_methods).toEqual(['GET', 'DELETE'])
    await cliJson(
      ['permission', 'grant', '--client', client.client_id, '--route', other.route_id, '--methods', 'GET'],
      env,
    )

    const byClient = await cliJson<PermissionWireWithVersion[]>(
      ['permission', 'list', '--client', client.client_id],
      env,
    )
    expect(byClient.map((p) => p.route_id).sort()).toEqual([route.route_id, other.route_id].sort())
    const byRoute = await cliJson<PermissionWireWithVersion[]>(['permission', 'list', '--route', other.route_id], env)
    expect(byRoute).toHaveLength(1)
    const human = await runCli(['permission', 'list', '--route', route.route_id], env)
    expect(human.stdout).toContain('/api/products/* (products): GET:public POST:api_key DELETE:hmac')
    expect(human.stdout).toMatch(/Grantee +active +GET,DELETE/)
    const unknown = await runCli(['permission', 'list', '--client', '00000000-0000-4000-8000-000000000001'], env)
    expect(unknown.code).toBe(3)
  })

  it('revoke by client and route needs confirmation; revoke by id works too', async () => {
    const refused = await runCli(['permission', 'revoke', '--client', client.client_id, '--route', other.route_id], env)
    expect(refused.code).toBe(5)
    expect(expectOneLineError(refused)).toMatch(/refusing to revoke permission/)
    expect(refused.stdout).toContain('allows: GET')
    expect(await cliJson<unknown[]>(['permission', 'list', '--route', other.route_id], env)).toHaveLength(1)

    const revoked = await cliJson<PermissionWireWithVersion>(
      ['permission', 'revoke', '--client', client.client_id, '--route', other.route_id, '--yes'],
      env,
    )
    expect(revoked.route_id).toBe(other.route_id)
    expect(await cliJson<unknown[]>(['permission', 'list', '--route', other.route_id], env)).toEqual([])

    const [remaining] = await cliJson<PermissionWireWithVersion[]>(
      ['permission', 'list', '--client', client.client_id],
      env,
    )
    const byId = await cliJson<PermissionWireWithVersion>(
      ['permission', 'revoke', remaining?.permission_id ?? '', '--yes'],
      env,
    )
    expect(byId.permission_id).toBe(remaining?.permission_id)
    expect(await cliJson<unknown[]>(['permission', 'list', '--client', client.client_id], env)).toEqual([])

    const again = await runCli(
      ['permission', 'revoke', '--client', client.client_id, '--route', other.route_id, '--yes'],
      env,
    )
    expect(again.code).toBe(3)
  })

  it('bad input: unknown method, missing --methods, half a pair', async () => {
    const badMethod = await runCli(
      ['permission', 'grant', '--client', client.client_id, '--route', route.route_id, '--methods', 'GET,FETCH'],
      env,
    )
    expect(badMethod.code).toBe(2)
    expect(expectOneLineError(badMethod)).toMatch(/"FETCH" is not a method/)
    const noMethods = await runCli(
      ['permission', 'grant', '--client', client.client_id, '--route', route.route_id],
      env,
    )
    expect(noMethods.code).toBe(2)
    expect(expectOneLineError(noMethods)).toMatch(/missing --methods/)
    const half = await runCli(['permission', 'revoke', '--client', client.client_id], env)
    expect(half.code).toBe(2)
    expect(expectOneLineError(half)).toMatch(/--client and --route go together/)
    const unknownClient = await runCli(
      [
        'permission',
        'grant',
        '--client',
        '00000000-0000-4000-8000-000000000002',
        '--route',
        route.route_id,
        '--methods',
        'GET',
      ],
      env,
    )
    expect(unknownClient.code).toBe(3)
    expect(expectOneLineError(unknownClient)).toBe('gatekeeper: client not found')
  })
})
