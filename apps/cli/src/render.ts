import type { ClientWire, HttpMethod, PermissionWire, RateLimitWire, RouteMethods, RouteWire } from '@gatekeeper/models'
import { HTTP_METHODS } from '@gatekeeper/models'
import { authOf } from './methods'
import type { Style } from './output'

// Human-readable forms of the wire objects, shared by the commands that print or pick them.

export function methodsSummary(methods: RouteMethods): string {
  return HTTP_METHODS.flatMap((m) => {
    const rule = methods[m]
    return rule ? [`${m}:${authOf(rule)}`] : []
  }).join(' ')
}

export function routeLabel(route: Pick<RouteWire, 'domain' | 'route_pattern'>): string {
  return route.domain === '*' ? route.route_pattern : `${route.domain}${route.route_pattern}`
}

export function statusText(status: ClientWire['status'], style: Style): string {
  if (status === 'active') return style.green(status)
  if (status === 'suspended') return style.yellow(status)
  return style.red(status)
}

export function credentialsText(client: ClientWire): string {
  const parts: string[] = []
  if (client.api_key_masked !== null) parts.push(`key ${client.api_key_masked}`)
  if (client.has_shared_secret) parts.push('hmac secret')
  return parts.length > 0 ? parts.join(', ') : 'none'
}

export function methodsText(methods: ReadonlyArray<HttpMethod>): string {
  return methods.join(',')
}

export function limitText(limit: Pick<RateLimitWire, 'requests_per_day' | 'requests_per_minute'>): string {
  const parts: string[] = []
  if (limit.requests_per_minute !== null) parts.push(`${limit.requests_per_minute}/min`)
  if (limit.requests_per_day !== null) parts.push(`${limit.requests_per_day}/day`)
  return parts.join(', ')
}

export function permissionTarget(p: Pick<PermissionWire, 'route_domain' | 'route_pattern'>): string {
  return routeLabel({ domain: p.route_domain, route_pattern: p.route_pattern })
}
