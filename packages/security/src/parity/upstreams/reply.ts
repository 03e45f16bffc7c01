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

/**
 * The same reply, base64-encoded JSON, in a response header: a HEAD's answer has no body, and frameworks run the
 * GET handler for it, so which route served a HEAD is known from this header only.
 */
export const REPLY_HEADER = 'x-parity-reply'

export function replyHeaderValue(reply: UpstreamReply): string {
  return Buffer.from(JSON.stringify(reply)).toString('base64')
}

export interface RunningUpstream {
  name: string
  port: number
  close(): Promise<void>
}

export function isUpstreamReply(value: unknown): value is UpstreamReply {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'upstream') === 'string'
}
