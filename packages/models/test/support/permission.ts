import type { ClientWire, RouteWire } from '../../src/index'

/**
 * What a permission carries of its client and route: their ids and the names the console lists a grant by
 * (the client's name, the route's domain, pattern and service).
 */
export function permissionSubjects(
  client: Pick<ClientWire, 'client_id' | 'client_name'>,
  route: Pick<RouteWire, 'route_id' | 'domain' | 'route_pattern' | 'service_name'>,
) {
  return {
    client_id: client.client_id,
    client_name: client.client_name,
    route_id: route.route_id,
    route_domain: route.domain,
    route_pattern: route.route_pattern,
    route_service_name: route.service_name,
  }
}
