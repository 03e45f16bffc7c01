import {
  type ConfigClient,
  type ConfigConsoleAdmin,
  type ConfigCredential,
  type ConfigDocument,
  type ConfigPermission,
  type ConfigRateLimit,
  type ConfigRoute,
  sortMethods,
} from '@gatekeeper/models'
import { methodsWire } from '../admin/wire'

// One order for everything, so the same state always serializes to the same bytes: entities sorted by
// their key (plain code-unit comparison, independent of locale), fields in the documented order.

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export function routeKey(route: { domain: string; route_pattern: string }): string {
  return `${route.domain} ${route.route_pattern}`
}

export function permissionKey(p: { client_name: string; domain: string; route_pattern: string }): string {
  return `${p.client_name} → ${routeKey(p)}`
}

/** Methods in HTTP_METHODS order, each rule's fields in order: the same canonical form the admin wire uses. */
const canonicalMethods = methodsWire

function route(r: ConfigRoute): ConfigRoute {
  const out: ConfigRoute = {
    domain: r.domain,
    route_pattern: r.route_pattern,
    service_name: r.service_name,
    methods: canonicalMethods(r.methods),
  }
  if (r.metadata_header != null) out.metadata_header = r.metadata_header
  return out
}

/** An allowlist is a set: sorted, without repeats. */
function canonicalAllowlist(list: readonly string[]): string[] {
  return [...new Set(list)].sort(compareText)
}

/** The optional lifecycle fields of a client or a credential, only those set, the allowlist canonical. */
function lifecycle(c: { expires_at?: number | null; ip_allowlist?: readonly string[] | null }) {
  return {
    ...(c.expires_at != null ? { expires_at: c.expires_at } : {}),
    ...(c.ip_allowlist != null ? { ip_allowlist: canonicalAllowlist(c.ip_allowlist) } : {}),
  }
}

function credential(c: ConfigCredential): ConfigCredential {
  return {
    kind: c.kind,
    ...(c.id !== undefined ? { id: c.id } : {}),
    ...(c.prefix !== undefined ? { prefix: c.prefix } : {}),
    ...lifecycle(c),
  }
}

function client(c: ConfigClient): ConfigClient {
  // Optional fields are written only when set, so a client without them reads as before.
  const out: ConfigClient = {
    client_name: c.client_name,
    status: c.status,
    ...lifecycle(c),
    credentials: [...c.credentials]
      .sort((a, b) => compareText(a.kind, b.kind) || compareText(a.id ?? '', b.id ?? ''))
      .map(credential),
  }
  if (c.metadata != null) out.metadata = c.metadata
  return out
}

function permission(p: ConfigPermission): ConfigPermission {
  return {
    client_name: p.client_name,
    domain: p.domain,
    route_pattern: p.route_pattern,
    allowed_methods: sortMethods(p.allowed_methods),
  }
}

function rateLimit(r: ConfigRateLimit): ConfigRateLimit {
  return {
    client_name: r.client_name,
    requests_per_minute: r.requests_per_minute ?? null,
    requests_per_day: r.requests_per_day ?? null,
  }
}

function admin(a: ConfigConsoleAdmin): ConfigConsoleAdmin {
  return { email: a.email }
}

/** The document in canonical order: what export writes and what the plan compares. */
export function canonicalDocument(doc: ConfigDocument): ConfigDocument {
  return {
    version: doc.version,
    routes: [...doc.routes].sort((a, b) => compareText(routeKey(a), routeKey(b))).map(route),
    clients: [...doc.clients].sort((a, b) => compareText(a.client_name, b.client_name)).map(client),
    permissions: [...doc.permissions]
      .sort(
        (a, b) =>
          compareText(a.client_name, b.client_name) ||
          compareText(a.domain, b.domain) ||
          compareText(a.route_pattern, b.route_pattern),
      )
      .map(permission),
    rate_limits: [...doc.rate_limits].sort((a, b) => compareText(a.client_name, b.client_name)).map(rateLimit),
    console_admins: [...doc.console_admins].sort((a, b) => compareText(a.email, b.email)).map(admin),
  }
}
