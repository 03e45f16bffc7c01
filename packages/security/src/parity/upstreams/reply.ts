import type { RouteName } from '../table'

// What every upstream of the differential test answers: the route its own framework dispatched the request to
// (null: its 404/405), and what it received from nginx. Only a reply carrying `upstream` came from an upstream;
// anything else was answered by nginx (a refusal).

export interface UpstreamReply {
  upstream: string
  served: RouteName | null
  method: string
  /** The request target exactly as the upstream's server read it off the request line. */
  target: string
  routeId: string | null
  clientId: string | null
  authorization: string | null
}

export interface RunningUpstream {
  name: string
  port: number
  close(): Promise<void>
}

export function isUpstreamReply(value: unknown): value is UpstreamReply {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'upstream') === 'string'
}
