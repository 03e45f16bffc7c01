import type { OpenAPIHono } from '@hono/zod-openapi'
import { BEARER_SCHEME } from '../admin/operations'
import type { AppEnv } from '../context'

export type OpenApiDocument = ReturnType<OpenAPIHono<AppEnv>['getOpenAPI31Document']>

/**
 * The OpenAPI 3.1 document of the admin API, generated from the routes' zod schemas (the shared
 * schemas of @gatekeeper/models). Built once, on first use.
 */
export function openApiDocument(app: OpenAPIHono<AppEnv>, version: string): () => OpenApiDocument {
  app.openAPIRegistry.registerComponent('securitySchemes', BEARER_SCHEME, {
    type: 'http',
    scheme: 'bearer',
    description:
      'An Aegis auth_token (from POST /api/auth/login) of a user listed as a console admin, or an admin API token (`gka_…`, POST /api/admin/tokens or `gatekeeper admin token create`), checked by console-api itself.',
  })
  let document: OpenApiDocument | undefined
  return () => {
    document ??= app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'Gatekeeper admin API',
        version,
        description:
          'Routes, clients, permissions, rate limits, console admins, admin API tokens and the audit log. Errors use the envelope `{code, status, message, error, details?}`.',
      },
      security: [{ [BEARER_SCHEME]: [] }],
    })
    return document
  }
}
