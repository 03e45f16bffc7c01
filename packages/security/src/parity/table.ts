import type { AuthSpec, RouteSpec } from '../stack/e2e'

// The route table of the differential test, in one place: what authz is configured with (through the admin API)
// and what every upstream mirrors in its own framework's idiom. Route names are what the upstreams report back;
// authz's route ids are mapped to these names once the routes exist.
//
//   name          domain           pattern             methods
//   pub           *                /pub/*              GET public, POST api_key (A)
//   secret        *                /secret/*           GET api_key (B), HEAD api_key (A)
//   key           *                /key/*              GET POST api_key (A), DELETE api_key (nobody), HEAD public
//
// HEAD is configured apart from GET on two routes, as an operator might, although every upstream runs the GET
// handler for a HEAD: a HEAD decided on its own entry would open the GET handler (to anyone on /key, to A on
// /secret), so `permitted` judges a HEAD as the GET it runs.
//   exact         *                /exact              GET api_key (A)            (exact path)
//   docs          *                /docs/*             GET public
//   docsInternal  api.example.com  /docs/internal/*    GET api_key (B)
//   any           *                /*                  GET public                  (the catch-all)

const API_HOST = 'api.example.com'

export type RouteName = 'pub' | 'secret' | 'key' | 'exact' | 'docs' | 'docsInternal' | 'any'
export type ClientName = 'A' | 'B'

export interface TableRoute {
  name: RouteName
  domain: string
  pattern: string
  methods: Readonly<Record<string, AuthSpec>>
  /** Which client may use which method (api_key methods only). */
  grants: Readonly<Partial<Record<ClientName, readonly string[]>>>
}

export const ROUTES: readonly TableRoute[] = [
  { name: 'pub', domain: '*', pattern: '/pub/*', methods: { GET: 'public', POST: 'api_key' }, grants: { A: ['POST'] } },
  {
    name: 'secret',
    domain: '*',
    pattern: '/secret/*',
    methods: { GET: 'api_key', HEAD: 'api_key' },
    grants: { B: ['GET'], A: ['HEAD'] },
  },
  {
    name: 'key',
    domain: '*',
    pattern: '/key/*',
    methods: { GET: 'api_key', POST: 'api_key', DELETE: 'api_key', HEAD: 'public' },
    grants: { A: ['GET', 'POST'] },
  },
  { name: 'exact', domain: '*', pattern: '/exact', methods: { GET: 'api_key' }, grants: { A: ['GET'] } },
  { name: 'docs', domain: '*', pattern: '/docs/*', methods: { GET: 'public' }, grants: {} },
  {
    name: 'docsInternal',
    domain: API_HOST,
    pattern: '/docs/internal/*',
    methods: { GET: 'api_key' },
    grants: { B: ['GET'] },
  },
  { name: 'any', domain: '*', pattern: '/*', methods: { GET: 'public' }, grants: {} },
]

function routeNamed(name: RouteName): TableRoute {
  const route = ROUTES.find((r) => r.name === name)
  if (route === undefined) throw new Error(`no route ${name}`)
  return route
}

/** May `client` use `method` on the route the upstream served? (Public methods: anyone, no client needed.) */
export function permitted(name: RouteName, method: string, client: ClientName | undefined): boolean {
  const route = routeNamed(name)
  const auth = route.methods[method === 'HEAD' ? 'GET' : method]
  if (auth === undefined) return false
  if (auth === 'public') return true
  if (client === undefined) return false
  return route.grants[client]?.includes(method === 'HEAD' ? 'GET' : method) ?? false
}

export function routeSpec(route: TableRoute): RouteSpec {
  return { pattern: route.pattern, domain: route.domain, service: `parity-${route.name}`, methods: route.methods }
}
