import { errorEnvelopeSchema, pathIdSchema } from '@gatekeeper/models'
import { createRoute, type RouteConfig, z } from '@hono/zod-openapi'

// How an admin operation is described in the OpenAPI document (what the request handlers need is in kit.ts).

/** The security scheme every admin operation requires (an Aegis auth token). */
export const BEARER_SCHEME = 'aegisBearer'
const security = [{ [BEARER_SCHEME]: [] }]

/**
 * The operations of one admin resource: `operation('get', '/{id}', {...})`, like a router's `app.get(path)`.
 * Each is listed under the resource's tag and requires the bearer scheme.
 */
export function adminOperations(tag: string) {
  const tags = [tag]
  return <
    M extends RouteConfig['method'],
    P extends string,
    R extends Omit<RouteConfig, 'method' | 'path' | 'tags' | 'security'>,
  >(
    method: M,
    path: P,
    route: R,
  ) =>
    // Method and path, then tags and security, then the rest: the document lists an operation's keys in this order.
    createRoute({ method, path, tags, security, ...route })
}

/**
 * A shared schema as a named component of the document (`#/components/schemas/<name>`). Cloned first:
 * schemas built before @hono/zod-openapi extended zod (the models package's) lack `.openapi()`, and a
 * clone made now has it, whatever the import order was.
 */
export function named<T extends z.ZodType>(schema: T, name: string): T {
  return schema.clone().openapi(name)
}

export const ErrorEnvelope = named(errorEnvelopeSchema, 'ErrorEnvelope')

const ERROR_DESCRIPTIONS = {
  400: 'Invalid request (field-level `details`)',
  401: 'Missing, malformed, invalid, revoked or expired bearer token',
  403: 'The Aegis user is not a console admin or belongs to another Aegis site, or a read-only admin token asked for a change',
  404: 'Unknown id',
  409: 'Conflicts with an existing record',
  412: 'Stale version (If-Match or `version`)',
  413: 'Request body too large',
  503: 'Aegis (or another dependency) unavailable or not configured (never for an admin token)',
} as const

type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS

/** Error responses of an operation; 401, 403 and 503 apply to every admin operation. */
export function errorResponses(...statuses: Array<ErrorStatus>) {
  const all = new Set<ErrorStatus>([401, 403, 503, ...statuses])
  const responses: Partial<
    Record<ErrorStatus, { description: string; content: { 'application/json': { schema: typeof ErrorEnvelope } } }>
  > = {}
  for (const status of [...all].sort()) {
    responses[status] = {
      description: ERROR_DESCRIPTIONS[status],
      content: { 'application/json': { schema: ErrorEnvelope } },
    }
  }
  return responses
}

export function jsonBody<T extends z.ZodType>(schema: T, description: string) {
  return { required: true, description, content: { 'application/json': { schema } } }
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } }
}

/**
 * A path id. Control characters are a 400 here; the operations validate the rest (anything that is not
 * a UUID is a 404 of that entity).
 */
export function idParam<K extends string>(name: K) {
  const schema = pathIdSchema
    .clone()
    .openapi({ param: { name, in: 'path' }, format: 'uuid', example: '0b9c5c1e-8a8e-4f5e-9a43-3d2f8f2f2c10' })
  return z.object({ [name]: schema } as Record<K, typeof schema>)
}

export const ifMatchHeader = z.object({
  'if-match': z
    .string()
    .optional()
    .openapi({
      param: { name: 'if-match', in: 'header' },
      description: 'The ETag of the version you read, e.g. "3"',
      example: '"3"',
    }),
})
