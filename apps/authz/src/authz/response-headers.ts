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
} as const
