import { rawRequest } from '../../http/raw'
import type { Outcome } from '../result'
import { ACTOR, type FaultWorld } from '../world'

// The changes a scenario commits while authz cannot hear about them, and after the fault, the check that they are
// all in effect (probeChanges).

export async function suspendVictim(world: FaultWorld): Promise<void> {
  await world.ops.clients.update(ACTOR, world.victim.id, { status: 'suspended' })
}

export async function grantNewbie(world: FaultWorld): Promise<void> {
  await world.ops.permissions.grant(ACTOR, {
    client_id: world.newbie.id,
    route_id: world.routes.key,
    allowed_methods: ['GET'],
  })
}

/** A public route /fresh/*; returns its id. */
export async function createFreshRoute(world: FaultWorld): Promise<string> {
  const route = await world.ops.routes.create(ACTOR, {
    route_pattern: '/fresh/*',
    domain: 'api.example.com',
    service_name: 'fresh',
    methods: { GET: { auth_required: false } },
  })
  return route.route_id
}

async function decide(port: number, target: string, key?: string): Promise<string> {
  const reply = await rawRequest({
    port,
    method: 'GET',
    target: '/authz',
    headers: [
      ['Host', 'api.example.com'],
      ['X-Original-URI', target],
      ['X-Original-Method', 'GET'],
      ['X-Original-Host', 'api.example.com'],
      ...(key === undefined ? [] : ([['Authorization', `Bearer ${key}`]] as Array<[string, string]>)),
    ],
  })
  return `${reply.status} ${reply.headers['x-auth-reason'] ?? ''}`
}

export async function probeChanges(out: Outcome, port: number, world: FaultWorld, freshRouteId: string): Promise<void> {
  const suspended = await decide(port, '/key/x', world.victim.key)
  out.check(suspended === '403 client_suspended', `the client suspended during the fault answered ${suspended}`)
  const granted = await decide(port, '/key/x', world.newbie.key)
  out.check(granted === '200 authenticated', `the client granted during the fault answered ${granted}`)
  const route = await decide(port, '/fresh/x')
  out.check(route === '200 no_auth_required', `the route created during the fault (${freshRouteId}) answered ${route}`)
  out.figure('changes from the fault in effect (suspend, grant, new route)', `${suspended}; ${granted}; ${route}`)
}
