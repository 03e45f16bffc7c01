// Engine state set up the way the decision tests need it: a client holding an API key and a shared secret, granted
// on a route, and requests that present either credential. One builder, so a test states only what it varies.

import { signRequestV1 } from '@gatekeeper/crypto'
import { type DecisionRequest, decide } from '../../src/decide'
import { EngineState } from '../../src/state'
import type { ClientInput, CredentialInput, Decision, RouteInput } from '../../src/types'
import { API_KEY, HMAC, makeApiKey, makeClient, makeDeps, makePermission, makeRoute, makeSecret } from './engine'

export const HOST = 'api.example.com'

export interface KeyedClientOverrides {
  client?: Partial<ClientInput>
  key?: Partial<CredentialInput>
  secret?: Partial<CredentialInput>
}

/** Puts into `state` a client with one API key and one shared secret, granted `methods` on the route `routeId`. */
export function addKeyedClient(
  state: EngineState,
  routeId: string,
  methods: string[],
  overrides: KeyedClientOverrides = {},
) {
  const client = makeClient(overrides.client)
  const { key, credential } = makeApiKey(client.id, overrides.key)
  const secret = makeSecret(client.id, overrides.secret)
  state.upsertClient(client)
  state.upsertCredential(credential)
  state.upsertCredential(secret)
  state.upsertPermission(makePermission(client.id, routeId, methods))
  return { client, key, credential, secret }
}

/**
 * One route on HOST for `/api/*` where POST takes the API key and DELETE an HMAC v1 signature, and one keyed client
 * granted both. `withKey` and `signed` build requests for `/api/x`, from `clientIp` when one is given; `run` decides.
 */
export function credentialWorld(overrides: KeyedClientOverrides & { route?: Partial<RouteInput> } = {}) {
  const deps = makeDeps()
  const state = new EngineState()
  const route = makeRoute({
    domain: HOST,
    routePattern: '/api/*',
    methods: { POST: API_KEY, DELETE: HMAC },
    ...overrides.route,
  })
  state.upsertRoute(route)
  const holder = addKeyedClient(state, route.id, ['POST', 'DELETE'], overrides)
  const base = { host: HOST, path: '/api/x', rawPath: '/api/x' }
  const from = (clientIp: string | undefined) => (clientIp === undefined ? {} : { clientIp })
  const withKey = (clientIp?: string, key = holder.key): DecisionRequest => ({
    ...base,
    method: 'POST',
    credentials: { kind: 'api_key', key, source: 'header' },
    ...from(clientIp),
  })
  const signed = (clientIp?: string, secretValue = holder.secret.secret ?? ''): DecisionRequest => {
    const s = signRequestV1({
      clientId: holder.client.id,
      secret: secretValue,
      method: 'DELETE',
      path: '/api/x',
      timestamp: Math.floor(deps.clock.nowMs / 1000),
    })
    return { ...base, method: 'DELETE', credentials: { kind: 'hmac', header: s.authorization }, ...from(clientIp) }
  }
  const run = async (req: DecisionRequest): Promise<Decision> => await decide(state, req, deps)
  return { deps, state, route, ...holder, withKey, signed, run }
}
