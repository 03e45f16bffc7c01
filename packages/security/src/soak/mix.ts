import type { Probe } from '../faults/load'
import { type FaultWorld, hmacHeaders, steadyProbes } from '../faults/world'

/** The soak's steady mix: the fault scripts' exact probes, HMAC, a limited client, and hostile input. */
export function soakProbes(world: FaultWorld): Probe[] {
  return [
    ...steadyProbes(world),
    { name: 'HMAC (nonce)', target: '/hmac/x', headers: hmacHeaders(world.alice, '/hmac/x'), expect: () => [200] },
    {
      name: 'client with limits',
      target: '/limited/x',
      headers: () => ({ authorization: `Bearer ${world.limited.key}` }),
      expect: () => [200],
    },
    { name: 'encoded slash', target: '/pub/..%2Fkey/x', expect: () => [400] },
    // A fresh path every time, matched and unmatched: metric labels must never take paths.
    { name: 'random public paths', target: () => `/pub/${random()}/${random()}?q=${random()}`, expect: () => [200] },
    { name: 'random unknown paths', target: () => `/${random()}/${random()}`, expect: () => [403] },
    { name: 'random methods', method: 'PROPFIND', target: () => `/key/${random()}`, expect: () => [403] },
  ]
}

const random = () => Math.random().toString(36).slice(2, 10)
