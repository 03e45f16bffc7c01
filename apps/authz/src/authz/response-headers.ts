// The headers an allowed /authz answer carries for nginx to pass upstream (auth_request_set in nginx/, an Ingress's
// auth-response-headers). Deployment files are checked against this table by import (packages/obs-proof), and
// response-headers.test.ts holds allowResponse to it.

/** Lower-case header names, by what they carry. */
export const ALLOW_RESPONSE_HEADERS = {
  reason: 'x-auth-reason',
  routeId: 'x-auth-route-id',
  service: 'x-auth-service',
  requestId: 'x-request-id',
  clientId: 'x-auth-client-id',
  clientName: 'x-auth-client-name',
  contentDigest: 'x-auth-content-digest',
  upstreamUri: 'x-auth-upstream-uri',
  // The original system's names for the same identity: nginx configs and Ingress annotations written for it read
  // $upstream_http_x_client_id and pass X-Client-ID upstream, and APIs built behind it read those.
  originalClientId: 'x-client-id',
  originalClientName: 'x-client-name',
  originalRouteId: 'x-route-id',
} as const
