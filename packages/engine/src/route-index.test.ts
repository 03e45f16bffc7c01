import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { makeRoute, PUBLIC } from '../test/support/engine'
import { RouteIndex } from './route-index'
import type { RouteInput } from './types'

function indexOf(...routes: RouteInput[]): RouteIndex {
  const index = new RouteIndex()
  for (const route of routes) expect(index.upsert(route)).toEqual({ ok: true })
  return index
}

function matchId(index: RouteIndex, host: string, path: string): string | undefined {
  return index.match(host, path)?.id
}

describe('RouteIndex: paths', () => {
  it('prefers an exact path over a prefix, and the longest prefix over shorter ones', () => {
    const all = makeRoute({ routePattern: '/*' })
    const api = makeRoute({ routePattern: '/api/*' })
    const users = makeRoute({ routePattern: '/api/users/*' })
    const me = makeRoute({ routePattern: '/api/users/me' })
    const index = indexOf(all, api, users, me)
    expect(matchId(index, 'h', '/api/users/me')).toBe(me.id)
    expect(matchId(index, 'h', '/api/users/42')).toBe(users.id)
    expect(matchId(index, 'h', '/api/users/42/orders')).toBe(users.id)
    expect(matchId(index, 'h', '/api/other')).toBe(api.id)
    expect(matchId(index, 'h', '/elsewhere')).toBe(all.id)
    expect(matchId(index, 'h', '/')).toBe(all.id)
  })

  it('matches prefixes on segment boundaries only', () => {
    const users = makeRoute({ routePattern: '/api/users/*' })
    const index = indexOf(users)
    expect(matchId(index, 'h', '/api/users')).toBe(users.id)
    expect(matchId(index, 'h', '/api/users/')).toBe(users.id)
    expect(matchId(index, 'h', '/api/users/x/y/')).toBe(users.id)
    expect(matchId(index, 'h', '/api/usersX')).toBeUndefined()
    expect(matchId(index, 'h', '/api/users.json')).toBeUndefined()
    expect(matchId(index, 'h', '/api')).toBeUndefined()
    expect(matchId(index, 'h', '/api../users')).toBeUndefined()
  })

  it('treats a trailing slash as a different path for exact patterns (the prefix pattern covers it)', () => {
    const exact = makeRoute({ routePattern: '/api/users' })
    const index = indexOf(exact)
    expect(matchId(index, 'h', '/api/users')).toBe(exact.id)
    expect(matchId(index, 'h', '/api/users/')).toBeUndefined()
    const slash = makeRoute({ routePattern: '/api/users/' })
    expect(index.upsert(slash)).toEqual({ ok: true })
    expect(matchId(index, 'h', '/api/users/')).toBe(slash.id)
    expect(matchId(index, 'h', '/api/users')).toBe(exact.id)
  })

  it('/* matches every path', () => {
    const all = makeRoute({ routePattern: '/*' })
    const index = indexOf(all)
    for (const path of ['/', '/a', '/a/', '/a/b/c']) expect(matchId(index, 'h', path)).toBe(all.id)
  })

  it('compares non-ASCII patterns in the canonical form request paths take', () => {
    const cafe = makeRoute({ routePattern: '/caf\u00e9/*' })
    const index = indexOf(cafe)
    expect(matchId(index, 'h', '/caf%C3%A9/menu')).toBe(cafe.id)
    expect(index.get(cafe.id)?.pattern).toBe('/caf%C3%A9/*')
  })

  it.each([
    ['api/users'],
    ['/api/*/users'],
    ['/api/users*'],
    ['/api/u*/'],
    ['/api//users'],
    ['/api/../admin'],
    ['/api/./x'],
    ['/api/%2e%2e/x'],
    ['/api/users?x=1'],
    ['/api/a b'],
    ['/api/a\\b'],
    ['/api/\u00a0'],
    ['/api/\ud800'],
  ])('refuses pattern %j', (routePattern) => {
    const index = new RouteIndex()
    expect(index.upsert(makeRoute({ routePattern })).ok).toBe(false)
    expect(index.size).toBe(0)
  })
})

describe('RouteIndex: domains', () => {
  it('exact domain beats `*` even when the `*` route has an exact path (the original got this wrong)', () => {
    const anyExact = makeRoute({ domain: '*', routePattern: '/api/users/42' })
    const hostPrefix = makeRoute({ domain: 'api.example.com', routePattern: '/api/*' })
    const index = indexOf(anyExact, hostPrefix)
    expect(matchId(index, 'api.example.com', '/api/users/42')).toBe(hostPrefix.id)
    expect(matchId(index, 'other.example.com', '/api/users/42')).toBe(anyExact.id)
  })

  it('wildcard beats `*` even against an exact path, exact beats wildcard', () => {
    const anyExact = makeRoute({ domain: '*', routePattern: '/x' })
    const wild = makeRoute({ domain: '*.example.com', routePattern: '/*' })
    const exact = makeRoute({ domain: 'api.example.com', routePattern: '/*' })
    const index = indexOf(anyExact, wild, exact)
    expect(matchId(index, 'api.example.com', '/x')).toBe(exact.id)
    expect(matchId(index, 'www.example.com', '/x')).toBe(wild.id)
    expect(matchId(index, 'example.org', '/x')).toBe(anyExact.id)
  })

  it('falls through to a less specific domain when the specific one has no route for the path', () => {
    const exact = makeRoute({ domain: 'api.example.com', routePattern: '/only/*' })
    const wild = makeRoute({ domain: '*.example.com', routePattern: '/wild/*' })
    const any = makeRoute({ domain: '*', routePattern: '/any' })
    const index = indexOf(exact, wild, any)
    expect(matchId(index, 'api.example.com', '/only/1')).toBe(exact.id)
    expect(matchId(index, 'api.example.com', '/wild/1')).toBe(wild.id)
    expect(matchId(index, 'api.example.com', '/any')).toBe(any.id)
    expect(matchId(index, 'api.example.com', '/none')).toBeUndefined()
  })

  it('a wildcard matches any depth of subdomain and the bare domain, never a lookalike', () => {
    const wild = makeRoute({ domain: '*.example.com', routePattern: '/*' })
    const index = indexOf(wild)
    expect(matchId(index, 'example.com', '/')).toBe(wild.id)
    expect(matchId(index, 'api.example.com', '/')).toBe(wild.id)
    expect(matchId(index, 'a.b.example.com', '/')).toBe(wild.id)
    expect(matchId(index, 'badexample.com', '/')).toBeUndefined()
    expect(matchId(index, 'example.com.evil.net', '/')).toBeUndefined()
    expect(matchId(index, 'example.co', '/')).toBeUndefined()
  })

  it('the most specific wildcard wins: *.b.example.com over *.example.com', () => {
    const broad = makeRoute({ domain: '*.example.com', routePattern: '/*' })
    const narrow = makeRoute({ domain: '*.b.example.com', routePattern: '/*' })
    const index = indexOf(broad, narrow)
    expect(matchId(index, 'a.b.example.com', '/x')).toBe(narrow.id)
    expect(matchId(index, 'b.example.com', '/x')).toBe(narrow.id)
    expect(matchId(index, 'c.example.com', '/x')).toBe(broad.id)
  })

  it('domains are case-insensitive', () => {
    const route = makeRoute({ domain: 'API.Example.com', routePattern: '/*' })
    expect(matchId(indexOf(route), 'api.example.com', '/')).toBe(route.id)
  })

  it.each([['api.example.com:8080'], ['*.'], ['*.*.example.com'], ['a,b'], ['ex ample.com'], ['']])(
    'refuses domain %j',
    (domain) => {
      expect(new RouteIndex().upsert(makeRoute({ domain })).ok).toBe(false)
    },
  )
})

describe('RouteIndex: incremental updates', () => {
  it('upsert replaces a route in place, including a move to another domain and pattern', () => {
    const route = makeRoute({ domain: '*', routePattern: '/a/*' })
    const index = indexOf(route)
    expect(matchId(index, 'h', '/a/1')).toBe(route.id)
    expect(index.upsert({ ...route, domain: 'h2', routePattern: '/b' })).toEqual({ ok: true })
    expect(matchId(index, 'h', '/a/1')).toBeUndefined()
    expect(matchId(index, 'h2', '/a/1')).toBeUndefined()
    expect(matchId(index, 'h2', '/b')).toBe(route.id)
    expect(index.size).toBe(1)
  })

  it('remove drops only that route; a shadowed route reappears', () => {
    const broad = makeRoute({ routePattern: '/api/*' })
    const narrow = makeRoute({ routePattern: '/api/users/*' })
    const index = indexOf(broad, narrow)
    expect(matchId(index, 'h', '/api/users/1')).toBe(narrow.id)
    expect(index.remove(narrow.id)).toBe(true)
    expect(matchId(index, 'h', '/api/users/1')).toBe(broad.id)
    expect(index.remove(narrow.id)).toBe(false)
    expect(index.remove(broad.id)).toBe(true)
    expect(matchId(index, 'h', '/api/users/1')).toBeUndefined()
    expect(index.size).toBe(0)
  })

  it('an upsert that makes a route invalid removes its previous version', () => {
    const route = makeRoute({ routePattern: '/a' })
    const index = indexOf(route)
    expect(index.upsert({ ...route, routePattern: '/a/*/b' }).ok).toBe(false)
    expect(matchId(index, 'h', '/a')).toBeUndefined()
    expect(index.size).toBe(0)
  })

  it('two routes on the same key resolve to the smaller id, and removing one leaves the other', () => {
    const a = makeRoute({ id: 'a', routePattern: '/dup' })
    const b = makeRoute({ id: 'b', routePattern: '/dup' })
    const index = indexOf(b, a)
    expect(matchId(index, 'h', '/dup')).toBe('a')
    index.remove('a')
    expect(matchId(index, 'h', '/dup')).toBe('b')
  })

  it('upper-cases configured methods', () => {
    const route = makeRoute({ methods: { get: PUBLIC } })
    expect(indexOf(route).get(route.id)?.methods.has('GET')).toBe(true)
  })

  it('agrees with a linear-scan model after any sequence of upserts and removes', () => {
    const ids = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6']
    const domains = ['*', '*.example.com', 'api.example.com', '*.b.example.com']
    const patterns = ['/*', '/api/*', '/api/users/*', '/api/users', '/api/users/', '/api/users/me', '/x']
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('upsert' as const),
        id: fc.constantFrom(...ids),
        domain: fc.constantFrom(...domains),
        pattern: fc.constantFrom(...patterns),
      }),
      fc.record({ kind: fc.constant('remove' as const), id: fc.constantFrom(...ids) }),
    )
    const hosts = ['api.example.com', 'a.b.example.com', 'example.com', 'other.org']
    const paths = ['/', '/api', '/api/users', '/api/users/', '/api/users/me', '/api/users/42', '/x', '/x/y', '/apix']

    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
        const index = new RouteIndex()
        const model = new Map<string, { domain: string; pattern: string }>()
        for (const o of ops) {
          if (o.kind === 'upsert') {
            index.upsert(makeRoute({ id: o.id, domain: o.domain, routePattern: o.pattern }))
            model.set(o.id, { domain: o.domain, pattern: o.pattern })
          } else {
            index.remove(o.id)
            model.delete(o.id)
          }
        }
        for (const host of hosts) {
          for (const path of paths) expect(matchId(index, host, path)).toBe(modelMatch(model, host, path))
        }
      }),
      { numRuns: 500 },
    )
  })
})

/** The priority rules written as a plain sort over every route. */
function modelMatch(routes: Map<string, { domain: string; pattern: string }>, host: string, path: string) {
  const domainRank = (domain: string): number => {
    if (domain === host) return 10_000
    if (domain.startsWith('*.')) {
      const suffix = domain.slice(2)
      if (host === suffix || host.endsWith(`.${suffix}`)) return 1000 + suffix.length
      return -1
    }
    return domain === '*' ? 0 : -1
  }
  const pathRank = (pattern: string): number => {
    if (pattern === path) return 100_000
    if (!pattern.endsWith('/*')) return -1
    const prefix = pattern.slice(0, -2)
    return path === prefix || path.startsWith(`${prefix}/`) ? prefix.length : -1
  }
  let best: { id: string; d: number; p: number } | undefined
  for (const [id, r] of routes) {
    const d = domainRank(r.domain)
    const p = pathRank(r.pattern)
    if (d < 0 || p < 0) continue
    if (best === undefined || d > best.d || (d === best.d && (p > best.p || (p === best.p && id < best.id)))) {
      best = { id, d, p }
    }
  }
  return best?.id
}

describe('RouteIndex: resolve and knowsHost follow route changes', () => {
  it('tries the added slash only while an exact pattern ends in one', () => {
    const all = makeRoute({ routePattern: '/*' })
    const open = makeRoute({ routePattern: '/open/' })
    const index = indexOf(all, open)
    expect(index.resolve('h', '/open', '/open')).toBe('trailing_slash_variant_route')
    index.remove(open.id)
    expect(index.resolve('h', '/open', '/open')).toBe(index.get(all.id))
    index.upsert(open)
    index.upsert({ ...open, routePattern: '/open/x' }) // moved: no exact pattern ends in a slash any more
    expect(index.resolve('h', '/open', '/open')).toBe(index.get(all.id))
  })

  it('knows exact and wildcard domains, never `*`, and forgets a domain with its last route', () => {
    const exact = makeRoute({ domain: 'api.example.com', routePattern: '/a' })
    const wild = makeRoute({ domain: '*.tenant.test', routePattern: '/a' })
    const any = makeRoute({ domain: '*', routePattern: '/*' })
    const index = indexOf(exact, wild, any)
    for (const host of ['api.example.com', 'tenant.test', 'x.tenant.test', 'a.b.tenant.test']) {
      expect(index.knowsHost(host), host).toBe(true)
    }
    for (const host of ['example.com', 'api.example.com.evil', 'tenant.test.evil', 'xtenant.test', 'other']) {
      expect(index.knowsHost(host), host).toBe(false)
    }
    index.remove(exact.id)
    expect(index.knowsHost('api.example.com')).toBe(false)
  })
})
