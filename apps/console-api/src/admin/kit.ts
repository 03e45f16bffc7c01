import type { Actor } from '@gatekeeper/db/admin'
import { ApiError, errorEnvelopeSchema } from '@gatekeeper/models'
import { OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../context'

/** The security scheme every admin operation requires (an Aegis auth token). */
export const BEARER_SCHEME = 'aegisBearer'
export const security = [{ [BEARER_SCHEME]: [] }]

/**
 * A sub-app for one admin resource. Request validation failures become the 400 envelope with field
 * details (the same shared schemas the operations validate with).
 */
export function adminRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw ApiError.validation(result.error)
    },
  })
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
  403: 'The Aegis user is not a console admin, or a read-only admin token asked for a change',
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

/** A path id. Validated by the operations: anything that is not a UUID is a 404 of that entity. */
export function idParam<K extends string>(name: K) {
  const schema = z
    .string()
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

/**
 * Who an audit row names: the signed-in console admin, or the admin token's name (a local sign-in
 * session is the local admin). The auth middleware set one of them, or the handler would not run.
 */
export function actorOf(c: Context<AppEnv>): Actor {
  const requestId = c.get('requestId')
  const token = c.get('adminToken')
  if (token !== undefined) {
    return { actor: token.name, actorType: token.kind === 'api' ? 'admin_token' : 'local_admin', requestId }
  }
  const admin = c.get('admin')
  if (admin === undefined) throw ApiError.unauthorized()
  return { actor: admin.email, actorType: 'console_admin', requestId }
}

/** The parsed JSON body (already parsed once by the validator; Hono caches it). */
export async function rawJson(c: Context<AppEnv>): Promise<unknown> {
  return c.req.json<unknown>()
}

export function setEtag(c: Context<AppEnv>, version: number | undefined): void {
  if (version !== undefined) c.header('ETag', `"${version}"`)
}
