import type { AdminOps } from '@gatekeeper/db/admin'
import { adminTokenCreatedWireSchema, adminTokenCreateSchema, adminTokenWireSchema } from '@gatekeeper/models'
import { z } from '@hono/zod-openapi'
import { actorOf, adminRouter, rawJson } from '../admin/kit'
import { adminOperations, errorResponses, idParam, jsonBody, jsonResponse, named } from '../admin/operations'
import { countedWrites } from '../admin/writes'
import type { Clock } from '../app-deps'
import type { Metrics } from '../metrics'

const AdminToken = named(adminTokenWireSchema, 'AdminToken')
const AdminTokenCreated = named(adminTokenCreatedWireSchema, 'AdminTokenCreated')
const operation = adminOperations('admin tokens')

const list = operation('get', '/', {
  summary: 'List admin API tokens',
  description:
    'Newest first, revoked and expired ones included. Tokens are shown masked; the raw token is never stored.',
  responses: { 200: jsonResponse(z.array(AdminToken), 'Every admin API token'), ...errorResponses() },
})
const create = operation('post', '/', {
  summary: 'Create an admin API token',
  description:
    'The answer carries the raw token (`token`, prefix `gka_`) once. `scope` is `read` (GET/HEAD only) or `write`; `expires_in_seconds` omitted means it never expires. The name is the audit actor of everything done with the token.',
  request: { body: jsonBody(adminTokenCreateSchema, 'The token to create') },
  responses: {
    201: jsonResponse(AdminTokenCreated, 'The new token, with its raw value'),
    ...errorResponses(400, 409, 413),
  },
})
const revoke = operation('delete', '/{token_id}', {
  summary: 'Revoke an admin API token',
  description: 'Takes effect at once. 404 for an unknown or already revoked token.',
  request: { params: idParam('token_id') },
  responses: { 204: { description: 'Revoked' }, ...errorResponses(404) },
})

export function adminTokensRoutes(deps: { adminOps: AdminOps; metrics: Metrics; clock: Clock }) {
  const ops = deps.adminOps.tokens
  const app = adminRouter()
  app.openapi(list, async (c) => c.json(await ops.list(), 200))

  app.openapi(create, async (c) =>
    countedWrites(c, deps.metrics, 'admin_token.create').json(
      ops.create(actorOf(c), await rawJson(c), new Date(deps.clock.now())),
      201,
    ),
  )
  app.openapi(revoke, (c) =>
    countedWrites(c, deps.metrics, 'admin_token.revoke').noContent(ops.revoke(actorOf(c), c.req.param('token_id'))),
  )
  return app
}
