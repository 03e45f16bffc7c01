// Micro-benchmark of the decision engine, run by hand: `pnpm --filter @gatekeeper/engine bench`.
// Prints ns per decision for a public route, an API key (real SHA-256 digest) and an unmatched request, with 10
// and 10,000 routes; "decide" is the decision alone, "pipeline" adds path/host normalisation and credential
// extraction, i.e. everything /authz does per request short of HTTP.

import { API_KEY, makeApiKey, makeClient, makeDeps, makePermission, makeRoute, PUBLIC } from '../test/support/engine'
import { extractCredentials } from './credentials'
import { type DecisionRequest, decide } from './decide'
import { parseHost } from './host'
import { normalizePath } from './normalize-path'
import { EngineState } from './state'
import type { Decision, RouteInput } from './types'

function routesFor(count: number): RouteInput[] {
  const routes: RouteInput[] = []
  for (let i = 0; routes.length < count; i++) {
    const domain = i % 3 === 0 ? '*' : i % 3 === 1 ? `api${i % 50}.example.com` : `*.tenant${i % 20}.example.com`
    routes.push(makeRoute({ domain, routePattern: `/svc${i}/v1/items/*`, methods: { GET: PUBLIC, POST: API_KEY } }))
    if (routes.length < count) {
      routes.push(makeRoute({ domain, routePattern: `/svc${i}/v1/status`, methods: { GET: PUBLIC } }))
    }
  }
  return routes
}

function setup(count: number) {
  const deps = makeDeps({ nowMs: Date.now() })
  const state = new EngineState()
  const routes = routesFor(count - 1)
  for (const r of routes) state.upsertRoute(r)
  const target = makeRoute({
    domain: 'api.example.com',
    routePattern: '/api/orders/*',
    methods: { GET: PUBLIC, POST: API_KEY },
  })
  state.upsertRoute(target)
  const client = makeClient()
  const { key, credential } = makeApiKey(client.id)
  state.upsertClient(client)
  state.upsertCredential(credential)
  state.upsertPermission(makePermission(client.id, target.id, ['GET', 'POST']))
  return { deps, state, key }
}

function measure(label: string, iterations: number, fn: () => Decision | Promise<Decision>, expect: string): void {
  const first = fn()
  if (first instanceof Promise || first.reason !== expect) {
    throw new Error(`${label}: expected ${expect}, got ${first instanceof Promise ? 'a Promise' : first.reason}`)
  }
  for (let i = 0; i < Math.min(iterations, 200_000); i++) fn() // warm up
  let sink = 0
  const start = process.hrtime.bigint()
  for (let i = 0; i < iterations; i++) {
    const d = fn()
    if (!(d instanceof Promise) && d.allowed) sink++
  }
  const ns = Number(process.hrtime.bigint() - start) / iterations
  console.log(`${label.padEnd(44)} ${ns.toFixed(0).padStart(6)} ns/decision${sink < 0 ? '!' : ''}`)
}

for (const count of [10, 10_000]) {
  const { deps, state, key } = setup(count)
  const req = (path: string, host: string, credentials: DecisionRequest['credentials']): DecisionRequest => ({
    method: path.startsWith('/api/orders') && credentials.kind !== 'none' ? 'POST' : 'GET',
    host,
    path,
    rawPath: path,
    credentials,
  })
  const none = { kind: 'none' } as const
  const withKey = { kind: 'api_key', key, source: 'header' } as const
  const publicReq = req('/api/orders/42/items', 'api.example.com', none)
  const keyReq = req('/api/orders/42/items', 'api.example.com', withKey)
  const unmatchedReq = req('/nothing/here/at/all', 'unknown.example.org', none)

  console.log(`\n${count} routes (${state.stats().routes} indexed)`)
  measure('decide: public', 2_000_000, () => decide(state, publicReq, deps), 'no_auth_required')
  measure('decide: api key (SHA-256 digest)', 500_000, () => decide(state, keyReq, deps), 'authenticated')
  measure('decide: unmatched', 2_000_000, () => decide(state, unmatchedReq, deps), 'no_route_match')

  const pipeline = (rawUri: string, hostHeader: string, authorization: string | undefined, method: string) => {
    const n = normalizePath(rawUri)
    const h = parseHost(hostHeader)
    if (!n.ok || !h.ok) throw new Error('bad bench input')
    const credentials = extractCredentials(authorization, n.query)
    return decide(state, { method, host: h.host, path: n.path, rawPath: rawUri, credentials }, deps)
  }
  measure(
    'pipeline: public',
    2_000_000,
    () => pipeline('/api/orders/42/items?page=2', 'api.example.com', undefined, 'GET'),
    'no_auth_required',
  )
  measure(
    'pipeline: api key',
    500_000,
    () => pipeline('/api/orders/42/items', 'API.example.com:443', `Bearer ${key}`, 'POST'),
    'authenticated',
  )
  measure(
    'pipeline: unmatched',
    2_000_000,
    () => pipeline('/nothing/here/at/all', 'unknown.example.org', undefined, 'GET'),
    'no_route_match',
  )
  measure(
    'pipeline: public, path needing normalisation',
    1_000_000,
    () => pipeline('/api/x/../orders/%34%32/./items', 'api.example.com', undefined, 'GET'),
    'no_auth_required',
  )
}
