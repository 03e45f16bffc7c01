import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  API_KEY,
  createAuthzApp,
  EngineState,
  MALFORMED_TARGET,
  makeApiKey,
  makeClient,
  makePermission,
  makeRoute,
  makeTestWorld,
  normalizePath,
  PUBLIC,
  type RouteInput,
} from '../targets'

// The whole /authz handler (headers, credentials, host, normalisation, decision) over generated route tables,
// grants and hostile raw paths. authz's own engine tests check normalisation against a reference model and one
// fixed table; these close the loop at the HTTP surface:
//
//   - a raw request target is either refused (400 ambiguous_path; bad_request when it is not a path at all) or
//     is canonical — no dot or empty segment, no `;`, no encoded unreserved character, the decided path is the
//     raw path up to hex case — and decided as written: nothing is resolved, so authz and an upstream that
//     routes the raw path name the same route;
//   - method-override headers, `_method`, rewrite and forwarding headers never change a decision.

const HOST = 'api.example.com'
const WORDS = ['a', 'b', 'pub', 'admin']
const METHODS = ['GET', 'POST', 'DELETE'] as const

const pattern = fc.oneof(
  fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }).map((s) => `/${s.join('/')}`),
  fc.array(fc.constantFrom(...WORDS), { minLength: 0, maxLength: 2 }).map((s) => `/${[...s, '*'].join('/')}`),
)
const routeSpec = fc.record({
  pattern,
  domain: fc.constantFrom(HOST, '*.example.com', '*'),
  methods: fc.dictionary(fc.constantFrom(...METHODS), fc.boolean(), { minKeys: 1 }), // true: public
})
const clientSpec = fc.record({
  grants: fc.array(fc.tuple(fc.nat(), fc.subarray([...METHODS], { minLength: 1 })), { maxLength: 4 }),
  status: fc.constantFrom('active', 'active', 'suspended'),
})

const SEGMENTS = [
  ...WORDS,
  'ADMIN',
  '%61dmin',
  '%70ub',
  '.',
  '..',
  '%2e',
  '%2E%2e',
  '.%2e',
  '',
  'pub..',
  'admin.',
  'a;b',
  'pub;',
  '%3b',
  '%3F',
  '%23',
  '%20',
  '~',
  '%7e',
  '%c3%a9',
  // refused shapes
  '..;',
  '..;x',
  '%2f',
  '%5c',
  '\\',
  '%252e',
  '%c0%ae',
  '%00',
  '%zz',
  '...',
]
const rawTarget = fc
  .tuple(
    fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 6 }),
    fc.option(fc.constantFrom('x=1', 'q=%2e%2e/admin', '', 'a=b&c')),
  )
  .map(([segs, query]) => `/${segs.join('/')}${query === null ? '' : `?${query}`}`)

const probe = fc.record({
  target: rawTarget,
  method: fc.constantFrom(...METHODS, 'PUT'),
  client: fc.option(fc.nat(), { nil: undefined }),
  host: fc.constantFrom(HOST, 'API.example.com', 'x.example.com', 'example.com', 'other.test'),
})

function buildWorld(
  routes: Array<{ pattern: string; domain: string; methods: Partial<Record<string, boolean>> }>,
  clients: Array<{ grants: Array<[number, string[]]>; status: string }>,
) {
  const world = makeTestWorld({ audit: false })
  const state = new EngineState()
  world.snapshot.state = state
  const seen = new Set<string>()
  const routeIds: string[] = []
  for (const spec of routes) {
    if (seen.has(`${spec.domain} ${spec.pattern}`)) continue
    seen.add(`${spec.domain} ${spec.pattern}`)
    const methods: RouteInput['methods'] = {}
    for (const [method, isPublic] of Object.entries(spec.methods)) methods[method] = isPublic ? PUBLIC : API_KEY
    const route = makeRoute({ domain: spec.domain, routePattern: spec.pattern, methods })
    if (state.upsertRoute(route).ok) routeIds.push(route.id)
  }
  const keys: string[] = []
  for (const spec of clients) {
    const client = makeClient({ status: spec.status === 'suspended' ? 'suspended' : 'active' })
    const { key, credential } = makeApiKey(client.id)
    state.upsertClient(client)
    state.upsertCredential(credential)
    const granted = new Set<string>()
    for (const [index, methods] of spec.grants) {
      const routeId = routeIds[index % Math.max(routeIds.length, 1)]
      if (routeId === undefined || granted.has(routeId)) continue
      granted.add(routeId)
      state.upsertPermission(makePermission(client.id, routeId, methods))
    }
    keys.push(key)
  }
  const app = createAuthzApp(world.deps)
  return { world, app, keys }
}

type World = ReturnType<typeof buildWorld>

interface Outcome {
  status: number
  reason: string | null
  route: string | null
}

async function ask(
  w: World,
  target: string,
  method: string,
  host: string,
  key: string | undefined,
  extra: Array<[string, string]> = [],
): Promise<Outcome> {
  const headers = new Headers([
    ['X-Original-URI', target],
    ['X-Original-Method', method],
    ['X-Original-Host', host],
    ...extra,
  ])
  if (key !== undefined) headers.set('Authorization', `Bearer ${key}`)
  const res = await w.app.request('/authz', { headers })
  return { status: res.status, reason: res.headers.get('x-auth-reason'), route: res.headers.get('x-auth-route-id') }
}

const worlds = fc.tuple(
  fc.array(routeSpec, { minLength: 1, maxLength: 6 }),
  fc.array(clientSpec, { minLength: 1, maxLength: 2 }),
)

describe('the /authz handler over generated route tables', () => {
  it('refuses a raw target with more than one reading (400 ambiguous_path), or decides it as written', async () => {
    // What the generated cases exercised: a property that never sees an allow or a refusal proves little.
    // Variant refusals (a case or slash reading that selects another route) are rare in random tables, 0 to 4 in
    // 400 runs, so they are counted but not required here; the engine and handler tests pin them with examples.
    const seen = { refused: 0, variantRefused: 0, allowed: 0, denied: 0 }
    const upperHex = (p: string) => p.replace(/%[0-9a-f]{2}/gi, (e) => e.toUpperCase())
    await fc.assert(
      fc.asyncProperty(worlds, fc.array(probe, { minLength: 1, maxLength: 12 }), async ([routes, clients], probes) => {
        const w = buildWorld(routes, clients)
        for (const p of probes) {
          const key = p.client === undefined ? undefined : w.keys[p.client % w.keys.length]
          const raw = await ask(w, p.target, p.method, p.host, key)
          const normalised = normalizePath(p.target)
          if (!normalised.ok) {
            const reason = MALFORMED_TARGET.has(normalised.reason) ? 'bad_request' : 'ambiguous_path'
            expect(raw).toMatchObject({ status: 400, reason, route: null })
            seen.refused++
            continue
          }
          // Canonical: what is decided is what was sent (up to hex case), segment for segment.
          const q = p.target.indexOf('?')
          const rawPath = q < 0 ? p.target : p.target.slice(0, q)
          expect(normalised.path).toBe(upperHex(rawPath))
          const segments = normalised.path.split('/').slice(1)
          segments.forEach((seg, i) => {
            expect(seg === '.' || seg === '..' || /;|%2e|%3b/i.test(seg)).toBe(false)
            if (i < segments.length - 1) expect(seg).not.toBe('')
          })
          if (raw.status === 400) {
            // Only a case or trailing-slash reading that selects another route refuses a canonical path.
            expect(raw).toMatchObject({ reason: 'ambiguous_path', route: null })
            seen.variantRefused++
          } else if (raw.status === 200) {
            seen.allowed++
          } else {
            seen.denied++
          }
          const query = normalised.query === '' ? '' : `?${normalised.query}`
          expect(await ask(w, `${normalised.path}${query}`, p.method, p.host, key)).toEqual(raw)
        }
        expect(w.world.errors).toEqual([])
      }),
      { numRuns: 400 },
    )
    expect(seen.refused).toBeGreaterThan(100)
    expect(seen.allowed).toBeGreaterThan(20)
    expect(seen.denied).toBeGreaterThan(20)
  })

  it('never lets method-override, rewrite or forwarding headers change a decision; a `_method` parameter is refused', async () => {
    const override = fc.record({
      method: fc.constantFrom(...METHODS, 'PUT', 'PATCH', 'get'),
      header: fc.constantFrom('X-HTTP-Method-Override', 'X-Method-Override', 'X-HTTP-Method'),
      query: fc.boolean(),
      rewrite: fc.constantFrom('/pub', '/admin', '/a/b', '/'),
    })
    await fc.assert(
      fc.asyncProperty(worlds, probe, override, async ([routes, clients], p, o) => {
        const w = buildWorld(routes, clients)
        const key = p.client === undefined ? undefined : w.keys[p.client % w.keys.length]
        const plain = await ask(w, p.target, p.method, p.host, key)
        const target = o.query ? `${p.target}${p.target.includes('?') ? '&' : '?'}_method=${o.method}` : p.target
        const dressed = await ask(w, target, p.method, p.host, key, [
          [o.header, o.method],
          ['X-Original-URL', o.rewrite],
          ['X-Rewrite-URL', o.rewrite],
          ['X-Forwarded-Uri', o.rewrite],
          ['X-Forwarded-Prefix', o.rewrite],
          ['X-Forwarded-Host', 'other.test'],
          ['X-Forwarded-Method', o.method],
        ])
        if (!o.query) expect(dressed).toEqual(plain)
        // A `_method` parameter is refused outright (frameworks with a query-string override would run it). A target
        // or host refused as ambiguous anyway stays a 400, for its own reason or for the parameter, whichever
        // check comes first (the route index finds some path ambiguities after the query has been read).
        else if (plain.status === 400 && plain.reason !== 'ambiguous_credential') {
          expect(dressed.status).toBe(400)
          expect([plain.reason, 'ambiguous_method']).toContain(dressed.reason)
        } else expect(dressed).toMatchObject({ status: 400, reason: 'ambiguous_method' })
      }),
      { numRuns: 1500 },
    )
  })
})
