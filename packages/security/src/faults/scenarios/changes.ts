import { rawRequest } from '../../http/raw'
import type { Outcome } from '../result'
import type { FaultWorld } from '../world'

// After a fault: the changes committed while authz could not hear about them must all be in effect.

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
