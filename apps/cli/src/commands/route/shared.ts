import type { RouteWire } from '@gatekeeper/models'
import { formatTime, type Output } from '../../output'
import { methodsSummary } from '../../render'

export type RouteFields = {
  pattern?: string
  domain?: string
  service?: string
  method: string[]
  metadataHeader?: string
  json?: boolean
}

export const METHOD_HELP =
  'METHOD=AUTH, AUTH one of public, api_key, hmac, hmac_v2, hmac_any (repeatable, or comma-separated)'

export function printRoute(out: Output, route: RouteWire): void {
  out.fields([
    ['Route ID', route.route_id],
    ['Pattern', route.route_pattern],
    ['Domain', route.domain],
    ['Service', route.service_name],
    ['Methods', methodsSummary(route.methods)],
    ...(route.metadata_header == null ? [] : [['Metadata header', route.metadata_header] as [string, string]]),
    ['Version', String(route.version ?? '-')],
    ['Updated', formatTime(route.updated_at)],
  ])
}
