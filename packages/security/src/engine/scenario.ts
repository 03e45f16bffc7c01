import type { Identities } from '../corpus/render'
import {
  API_KEY,
  createAuthzApp,
  EngineState,
  HMAC,
  makeApiKey,
  makeClient,
  makePermission,
  makeRoute,
  makeSecret,
  makeTestWorld,
  PUBLIC,
  type RouteInput,
  type TestWorld,
} from '../targets'

// The corpus scenario (the same routes, clients and grants as packages/e2e/src/scenario.ts) built in memory,
// with authz's own app on top: `app.request()` answers /authz exactly as the server does, minus the socket.

const HOST = 'api.example.com'

export interface ScenarioApp {
  world: TestWorld
  request(headers: ReadonlyArray<readonly [string, string]>): Promise<Response>
  identities: Identities
  routes: Record<'pub' | 'key' | 'hmac' | 'admin' | 'secret', string>
}

export function scenarioApp(): ScenarioApp {
  const world = makeTestWorld()
  const state = new EngineState()
  world.snapshot.state = state
  const route = (pattern: string, methods: RouteInput['methods']) => {
    const r = makeRoute({ domain: HOST, routePattern: pattern, methods })
    state.upsertRoute(r)
    return r.id
  }
  const routes = {
    pub: route('/pub/*', { GET: PUBLIC, POST: API_KEY }),
    key: route('/key/*', { GET: API_KEY, POST: API_KEY, DELETE: API_KEY }),
    hmac: route('/hmac/*', { GET: HMAC, POST: HMAC }),
    admin: route('/admin/*', { GET: API_KEY }),
    secret: route('/secret/*', { GET: API_KEY }),
  }
  const identities: Record<string, { id: string; apiKey: string; secret: string }> = {}
  const client = (name: string, status: 'active' | 'suspended', grants: Array<[string, string[]]>) => {
    const c = makeClient({ clientName: name, status })
    const { key, credential } = makeApiKey(c.id)
    const secret = makeSecret(c.id)
    state.upsertClient(c)
    state.upsertCredential(credential)
    state.upsertCredential(secret)
    for (const [routeId, methods] of grants) state.upsertPermission(makePermission(c.id, routeId, methods))
    identities[name] = { id: c.id, apiKey: key, secret: secret.secret ?? '' }
  }
  client('alice', 'active', [
    [routes.key, ['GET', 'POST']],
    [routes.hmac, ['GET', 'POST']],
    [routes.pub, ['POST']],
  ])
  client('suspended', 'suspended', [[routes.key, ['GET']]])
  client('insider', 'active', [[routes.secret, ['GET']]])
  const app = createAuthzApp(world.deps)
  return {
    world,
    identities,
    routes,
    request: (headers) => Promise.resolve(app.request('/authz', { method: 'GET', headers: toHeaders(headers) })),
  }
}

/** Fetch Headers join a repeated name with ", ", as Hono on node-server does (authz must refuse that too). */
function toHeaders(lines: ReadonlyArray<readonly [string, string]>): Headers {
  const headers = new Headers()
  for (const [name, value] of lines) headers.append(name, value)
  return headers
}
