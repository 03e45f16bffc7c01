import {
  HTTP_METHODS,
  type HttpMethod,
  type PermissionGrantInput,
  type PermissionWire,
  type RouteWire,
} from '@gatekeeper/models'

export type MatrixChange =
  | { kind: 'grant'; body: PermissionGrantInput }
  | { kind: 'revoke'; permissionId: string }
  | { kind: 'none' }

export function cellKey(clientId: string, routeId: string): string {
  return `${clientId}|${routeId}`
}

export function indexGrants(permissions: ReadonlyArray<PermissionWire>): Map<string, PermissionWire> {
  return new Map(permissions.map((grant) => [cellKey(grant.client_id, grant.route_id), grant]))
}

/** The methods a cell offers: those the route configures, plus any still granted that it no longer does. */
export function cellMethods(route: RouteWire, grant: PermissionWire | undefined): Array<HttpMethod> {
  const offered = new Set<HttpMethod>(HTTP_METHODS.filter((method) => route.methods[method] !== undefined))
  for (const method of grant?.allowed_methods ?? []) offered.add(method)
  return HTTP_METHODS.filter((method) => offered.has(method))
}

/**
 * What toggling one method of one cell sends: a grant carrying the cell's full new method list (the
 * API replaces the methods of an existing grant), or a revoke when the last method is turned off.
 */
export function toggleChange(
  grant: PermissionWire | undefined,
  clientId: string,
  routeId: string,
  method: HttpMethod,
  enabled: boolean,
): MatrixChange {
  const current = new Set<HttpMethod>(grant?.allowed_methods ?? [])
  if (current.has(method) === enabled) return { kind: 'none' }
  if (enabled) current.add(method)
  else current.delete(method)
  const allowed = HTTP_METHODS.filter((item) => current.has(item))
  if (allowed.length === 0) {
    return grant === undefined ? { kind: 'none' } : { kind: 'revoke', permissionId: grant.permission_id }
  }
  return { kind: 'grant', body: { client_id: clientId, route_id: routeId, allowed_methods: allowed } }
}

/** The grant as the cell shows it while the server has not answered yet (its id is not known for a new one). */
export function provisionalGrant(previous: PermissionWire | undefined, body: PermissionGrantInput): PermissionWire {
  return {
    permission_id: previous?.permission_id ?? '',
    client_id: body.client_id,
    client_name: previous?.client_name ?? '',
    route_id: body.route_id,
    route_domain: previous?.route_domain ?? '',
    route_pattern: previous?.route_pattern ?? '',
    route_service_name: previous?.route_service_name ?? '',
    allowed_methods: body.allowed_methods,
    created_at: previous?.created_at ?? 0,
  }
}
