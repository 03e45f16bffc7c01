// Routes compiled into maps so a lookup costs O(host labels + path segments), never O(routes).
//
// Priority, most important first:
//   1. domain specificity: exact host > `*.suffix` (longest suffix first; `*.example.com` also matches the bare
//      `example.com`) > `*`. A less specific domain is consulted only when the more specific ones have no route
//      for the path at all (so an exact-domain prefix route beats a `*`-domain exact-path route);
//   2. exact path over prefix;
//   3. longest prefix.
// Paths: `/api/users` matches exactly that path. `/api/users/` is a different path (upstreams treat it as one),
// matched by `/api/users/*` (or an exact `/api/users/` pattern), not by the exact `/api/users`.
// `/api/users/*` matches `/api/users` and everything below it on a segment boundary (not `/api/usersX`);
// `/*` matches everything. `*` anywhere else in a pattern is refused. Patterns are brought to the canonical
// form normalizePath gives request paths, so both compare as plain strings.
// Two routes with the same domain and pattern (which the database should not allow) resolve to the smaller id.
//
// resolve() adds what the upstream's router may do differently: Express matches case-insensitively and ignores
// a trailing slash, Flask redirects between the two slash forms, Express matches the raw bytes where Werkzeug
// and Hono decode `%40` to `@`. When such another reading of the same path would select another existing route,
// the path is refused (ambiguous_path) rather than decided for one reading.

import { parseHost } from './host'
import { canonicalSegment } from './normalize-path'
import type { AllowDecision, AuthType, RouteInput, SignatureVersion } from './types'

export type { RouteInput } from './types'

export interface MethodRule {
  authRequired: boolean
  /** null with authRequired: any accepted credential (treated like `api_key`). */
  authType: AuthType | null
  signatureVersion: SignatureVersion
  /** Shared, frozen allow decision for a public method, so a public request allocates nothing. */
  publicAllow: AllowDecision | undefined
}

export interface CompiledRoute {
  id: string
  serviceName: string
  domain: string
  pattern: string
  methods: ReadonlyMap<string, MethodRule>
  /** Lower-case response header name for the client's metadata on an allow; absent: none. */
  metadataHeader?: string
}

export type RouteUpsertResult = { ok: true } | { ok: false; reason: string }

/** Why a path is refused by resolve(): another common reading of it selects another route. */
export type PathVariantConflict = 'case_variant_route' | 'trailing_slash_variant_route' | 'encoded_variant_route'

const UPPER = /[A-Z]/
const ESCAPE = /%[0-9a-fA-F]{2}/g
const upperEscape = (e: string) => e.toUpperCase()

type PathKind = 'exact' | 'prefix'
type DomainKind = 'exact' | 'wildcard' | 'any'

const SLASH = 0x2f

class PathTable {
  readonly exact = new Map<string, CompiledRoute[]>()
  readonly prefix = new Map<string, CompiledRoute[]>()
  /** Lengths of the prefix keys present, so a lookup slices the path only where a key could exist. */
  private readonly prefixLengths = new Map<number, number>()

  get empty(): boolean {
    return this.exact.size === 0 && this.prefix.size === 0
  }

  add(kind: PathKind, key: string, route: CompiledRoute): void {
    const map = kind === 'exact' ? this.exact : this.prefix
    const list = map.get(key)
    if (list === undefined) {
      map.set(key, [route])
      if (kind === 'prefix') this.prefixLengths.set(key.length, (this.prefixLengths.get(key.length) ?? 0) + 1)
      return
    }
    list.push(route)
    list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  }

  remove(kind: PathKind, key: string, routeId: string): void {
    const map = kind === 'exact' ? this.exact : this.prefix
    const list = map.get(key)
    if (list === undefined) return
    const remaining = list.filter((r) => r.id !== routeId)
    if (remaining.length > 0) {
      map.set(key, remaining)
      return
    }
    map.delete(key)
    if (kind === 'prefix') {
      const count = (this.prefixLengths.get(key.length) ?? 1) - 1
      if (count > 0) this.prefixLengths.set(key.length, count)
      else this.prefixLengths.delete(key.length)
    }
  }

  match(path: string): CompiledRoute | undefined {
    const exact = this.exact.get(path)
    if (exact !== undefined) return exact[0]
    if (this.prefix.size === 0) return undefined
    const lengths = this.prefixLengths
    const end = path.length
    // `/a/b` itself is a candidate key (pattern `/a/b/*` matches `/a/b`); then `/a`, then `` (pattern `/*`).
    if (end > 0 && path.charCodeAt(end - 1) !== SLASH && lengths.has(end)) {
      const hit = this.prefix.get(path)
      if (hit !== undefined) return hit[0]
    }
    for (let i = path.lastIndexOf('/', end - 1); i >= 0; i = i === 0 ? -1 : path.lastIndexOf('/', i - 1)) {
      if (!lengths.has(i)) continue
      const hit = this.prefix.get(path.slice(0, i))
      if (hit !== undefined) return hit[0]
    }
    return undefined
  }
}

interface Placement {
  route: CompiledRoute
  domainKind: DomainKind
  domainKey: string
  pathKind: PathKind
  pathKey: string
}

export class RouteIndex {
  private readonly byId = new Map<string, Placement>()
  private readonly exactDomains = new Map<string, PathTable>()
  /** Keyed by the suffix after `*.`: `*.example.com` -> `example.com`. */
  private readonly wildcardDomains = new Map<string, PathTable>()
  private readonly anyDomain = new PathTable()
  /** Exact patterns ending in `/` (not `/` itself): only then can adding a slash to a path change its route. */
  private exactWithTrailingSlash = 0

  get size(): number {
    return this.byId.size
  }

  get(routeId: string): CompiledRoute | undefined {
    return this.byId.get(routeId)?.route
  }

  /**
   * Adds or replaces one route. An invalid route is refused and, if a previous version of it was indexed,
   * that version is removed too: a route edited into something we cannot honour must stop matching.
   */
  upsert(input: RouteInput): RouteUpsertResult {
    this.remove(input.id)
    const domain = compileDomain(input.domain)
    if (!domain.ok) return domain
    const path = compilePattern(input.routePattern)
    if (!path.ok) return path
    const methods = compileMethods(input)
    if (!methods.ok) return methods

    const route: CompiledRoute = {
      id: input.id,
      serviceName: input.serviceName,
      domain: input.domain,
      pattern: path.pattern,
      methods: methods.methods,
    }
    if (typeof input.metadataHeader === 'string' && input.metadataHeader.length > 0) {
      route.metadataHeader = input.metadataHeader.toLowerCase()
    }
    const placement: Placement = {
      route,
      domainKind: domain.kind,
      domainKey: domain.key,
      pathKind: path.kind,
      pathKey: path.key,
    }
    this.tableFor(placement, true)?.add(placement.pathKind, placement.pathKey, route)
    this.byId.set(input.id, placement)
    if (endsWithSlashExact(placement)) this.exactWithTrailingSlash++
    return { ok: true }
  }

  remove(routeId: string): boolean {
    const placement = this.byId.get(routeId)
    if (placement === undefined) return false
    this.byId.delete(routeId)
    if (endsWithSlashExact(placement)) this.exactWithTrailingSlash--
    const table = this.tableFor(placement, false)
    if (table === undefined) return true
    table.remove(placement.pathKind, placement.pathKey, routeId)
    if (table.empty && placement.domainKind !== 'any') {
      const map = placement.domainKind === 'exact' ? this.exactDomains : this.wildcardDomains
      map.delete(placement.domainKey)
    }
    return true
  }

  /** `host` as parseHost returns it; `path` as normalizePath returns it. */
  match(host: string, path: string): CompiledRoute | undefined {
    const exact = this.exactDomains.get(host)
    if (exact !== undefined) {
      const hit = exact.match(path)
      if (hit !== undefined) return hit
    }
    if (this.wildcardDomains.size > 0) {
      // `a.b.example.com` tries `*.a.b.example.com` (bare match), `*.b.example.com`, `*.example.com`, `*.com`.
      let from = 0
      for (;;) {
        const table = this.wildcardDomains.get(from === 0 ? host : host.slice(from))
        if (table !== undefined) {
          const hit = table.match(path)
          if (hit !== undefined) return hit
        }
        const dot = host.indexOf('.', from)
        if (dot < 0) break
        from = dot + 1
      }
    }
    return this.anyDomain.match(path)
  }

  /**
   * Whether some route names `host` explicitly: an exact domain, or a `*.suffix` domain that covers it (not `*`).
   * Kept current with the index itself (no per-request work beyond a map lookup per label).
   */
  knowsHost(host: string): boolean {
    if (this.exactDomains.has(host)) return true
    if (this.wildcardDomains.size === 0) return false
    let from = 0
    for (;;) {
      if (this.wildcardDomains.has(from === 0 ? host : host.slice(from))) return true
      const dot = host.indexOf('.', from)
      if (dot < 0) return false
      from = dot + 1
    }
  }

  /**
   * The route for `path` (as normalizePath returns it; `rawPath` as sent), or the reason it is refused.
   * - Case and trailing slash: a router that folds case or ignores the slash (Express) considers the routes of
   *   those variants too. A variant's route that does not also match `path` itself may be the more specific one
   *   there: refused. (One that matches `path` already lost to the chosen route on specificity.)
   * - Encoding: `path` decodes reserved characters (`%40` -> `@`); a router that matches raw bytes (Express)
   *   reads the raw form. The two readings stand equal: any other route for the raw form is refused.
   * Variants are computed only for a path with an upper-case letter, a trailing slash or a decoded escape (or,
   * for adding a slash, when some exact pattern ends in one): the common lower-case path costs one regex test.
   */
  resolve(host: string, path: string, rawPath: string): CompiledRoute | undefined | PathVariantConflict {
    const route = this.match(host, path)
    const folded = UPPER.test(path) ? path.toLowerCase().replace(ESCAPE, upperEscape) : path
    if (folded !== path && this.widens(host, folded, route, path)) return 'case_variant_route'
    const slashed =
      path.length > 1 && path.charCodeAt(path.length - 1) === SLASH
        ? path.slice(0, -1)
        : this.exactWithTrailingSlash > 0
          ? `${path}/`
          : undefined
    if (slashed !== undefined) {
      if (this.widens(host, slashed, route, path)) return 'trailing_slash_variant_route'
      if (folded !== path) {
        const both = folded.length > 1 && folded.endsWith('/') ? folded.slice(0, -1) : `${folded}/`
        if (this.widens(host, both, route, path)) return 'case_variant_route'
      }
    }
    if (rawPath !== path) {
      const raw = rawPath.replace(ESCAPE, upperEscape)
      if (raw !== path) {
        const other = this.match(host, raw)
        if (other !== undefined && other !== route) return 'encoded_variant_route'
      }
    }
    return route
  }

  /** Whether `variant` selects a route other than `route` that does not match `path` itself. */
  private widens(host: string, variant: string, route: CompiledRoute | undefined, path: string): boolean {
    const other = this.match(host, variant)
    if (other === undefined || other === route) return false
    const placement = this.byId.get(other.id)
    if (placement === undefined) return true
    const pattern = placement.pathKey
    if (placement.pathKind === 'exact') return pattern !== path
    const under = pattern === '' || path === pattern
    return !(under || (path.startsWith(pattern) && path.charCodeAt(pattern.length) === SLASH))
  }

  private tableFor(p: Placement, create: boolean): PathTable | undefined {
    if (p.domainKind === 'any') return this.anyDomain
    const map = p.domainKind === 'exact' ? this.exactDomains : this.wildcardDomains
    let table = map.get(p.domainKey)
    if (table === undefined && create) {
      table = new PathTable()
      map.set(p.domainKey, table)
    }
    return table
  }
}

function endsWithSlashExact(p: Placement): boolean {
  return p.pathKind === 'exact' && p.pathKey.length > 1 && p.pathKey.endsWith('/')
}

function compileDomain(domain: string): { ok: true; kind: DomainKind; key: string } | { ok: false; reason: string } {
  if (domain === '*') return { ok: true, kind: 'any', key: '' }
  const wildcard = domain.startsWith('*.')
  const name = wildcard ? domain.slice(2) : domain
  // A port in a route domain would silently match every port (requests are keyed without one): refuse it.
  if (name.includes(':') && !name.startsWith('[')) return { ok: false, reason: 'invalid_domain: port not allowed' }
  const parsed = parseHost(name)
  if (!parsed.ok) return { ok: false, reason: `invalid_domain: ${parsed.reason}` }
  if (parsed.host.startsWith('[') && (wildcard || !name.endsWith(']'))) {
    return { ok: false, reason: 'invalid_domain: port not allowed' }
  }
  return { ok: true, kind: wildcard ? 'wildcard' : 'exact', key: parsed.host }
}

function hasForbiddenPatternChar(body: string): boolean {
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i)
    if (c <= 0x20 || c === 0x7f || c === 0x25 || c === 0x3f || c === 0x23 || c === 0x5c) return true
  }
  return /\s/.test(body) // non-ASCII whitespace (NBSP, U+2028, ...)
}

/**
 * Patterns are written decoded (the admin API refuses `%`), so they are brought to the canonical form request
 * paths take, segment by segment. Anything a normalised path can never be (dot segments, `//`) or that would
 * need guessing (`%`, `\\`, whitespace, controls, lone surrogates) is refused: such a route would silently
 * never match, or match something other than what its author meant.
 */
function compilePattern(
  pattern: string,
): { ok: true; kind: PathKind; key: string; pattern: string } | { ok: false; reason: string } {
  if (!pattern.startsWith('/')) return { ok: false, reason: "invalid_pattern: must start with '/'" }
  const prefix = pattern.endsWith('/*')
  const body = prefix ? pattern.slice(0, -1) : pattern // keep the slash: `/api/*` -> `/api/`, `/*` -> `/`
  if (body.includes('*')) return { ok: false, reason: 'invalid_pattern: `*` is only allowed as a final `/*`' }
  if (hasForbiddenPatternChar(body)) {
    return { ok: false, reason: 'invalid_pattern: %, ?, #, backslash, whitespace or control character' }
  }
  const segments = body.slice(1).split('/')
  const last = segments.length - 1
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] ?? ''
    if (seg === '' && i !== last) return { ok: false, reason: "invalid_pattern: empty segment ('//')" }
    if (seg === '.' || seg === '..') return { ok: false, reason: "invalid_pattern: '.' or '..' segment" }
    if (Buffer.from(seg, 'utf8').toString('utf8') !== seg) {
      return { ok: false, reason: 'invalid_pattern: not well-formed Unicode' }
    }
    segments[i] = canonicalSegment(seg)
  }
  const canonical = `/${segments.join('/')}`
  if (!prefix) return { ok: true, kind: 'exact', key: canonical, pattern: canonical }
  const key = canonical.slice(0, -1) // `/api/` -> `/api`, `/` -> ``
  return { ok: true, kind: 'prefix', key, pattern: `${key}/*` }
}

function compileMethods(
  input: RouteInput,
): { ok: true; methods: Map<string, MethodRule> } | { ok: false; reason: string } {
  const methods = new Map<string, MethodRule>()
  for (const [name, rule] of Object.entries(input.methods)) {
    const method = name.toUpperCase()
    if (!/^[A-Z][A-Z0-9_-]*$/.test(method)) return { ok: false, reason: `invalid_method: ${name}` }
    if (methods.has(method)) return { ok: false, reason: `duplicate_method: ${name}` }
    if (rule.auth_type !== null && rule.auth_type !== 'api_key' && rule.auth_type !== 'hmac') {
      return { ok: false, reason: `invalid_auth_type: ${String(rule.auth_type)}` }
    }
    const signatureVersion = rule.signature_version ?? 'any'
    if (signatureVersion !== 'any' && signatureVersion !== 'v2') {
      return { ok: false, reason: `invalid_signature_version: ${String(signatureVersion)}` }
    }
    const authRequired = rule.auth_required === true
    const publicAllow: AllowDecision | undefined = authRequired
      ? undefined
      : Object.freeze({
          allowed: true as const,
          status: 200 as const,
          reason: 'no_auth_required' as const,
          routeId: input.id,
          serviceName: input.serviceName,
        })
    methods.set(method, { authRequired, authType: rule.auth_type, signatureVersion, publicAllow })
  }
  return { ok: true, methods }
}
