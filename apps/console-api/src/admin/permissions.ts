import type { AdminOps } from '@gatekeeper/db/admin'
import {
  paginationQuerySchema,
  permissionGrantSchema,
  permissionListQuerySchema,
  permissionWireSchema,
} from '@gatekeeper/models'
import { z } from '@hono/zod-openapi'
import type { Metrics } from '../metrics'
import { actorOf, adminRouter, setEtag } from './kit'
import { adminOperations, errorResponses, idParam, ifMatchHeader, jsonBody, jsonResponse } from './operations'
import { countedWrites, deletePrecondition, versionedBody } from './writes'

const Permission = permissionWireSchema.extend({ version: z.number().int() }).openapi('Permission')
const operation = adminOperations('permissions')

const list = operation('get', '/', {
  summary: 'List permissions',
  description: 'Filter with `client_id` and/or `route_id`; `limit`/`offset` paginate (opt-in).',
  request: { query: permissionListQuerySchema.extend(paginationQuerySchema.shape) },
  responses: { 200: jsonResponse(z.array(Permission), 'The matching permissions'), ...errorResponses(400) },
})
const grant = operation('post', '/', {
  summary: 'Grant a client access to a route',
  description:
    'Creates the grant (201) or replaces the allowed methods of the existing one (200). Send `If-Match: "<version>"` (or `version` in the body) to replace only the grant you read: 412 if it changed or no longer exists.',
  request: {
    headers: ifMatchHeader,
    body: jsonBody(permissionGrantSchema, 'Client, route and the methods it may call'),
  },
  responses: {
    200: jsonResponse(Permission, 'The existing grant, with the new methods'),
    201: jsonResponse(Permission, 'The new grant'),
    ...errorResponses(400, 404, 409, 412, 413),
  },
})
const revoke = operation('delete', '/{permission_id}', {
  summary: 'Revoke a permission',
  request: { params: idParam('permission_id'), headers: ifMatchHeader },
  responses: { 204: { description: 'Revoked' }, ...errorResponses(404, 412) },
})

export function permissionsRoutes(deps: { adminOps: AdminOps; metrics: Metrics }) {
  const ops = deps.adminOps.permissions
  const app = adminRouter()
  app.openapi(list, async (c) => c.json(await ops.list(c.req.query()), 200))

  app.openapi(grant, async (c) => {
    const { created, permission } = await ops.grant(actorOf(c), await versionedBody(c))
    deps.metrics.adminActions.inc({ action: created ? 'permission.grant' : 'permission.update' })
    setEtag(c, permission.version)
    return created ? c.json(permission, 201) : c.json(permission, 200)
  })

  app.openapi(revoke, async (c) =>
    countedWrites(c, deps.metrics, 'permission.revoke').noContent(
      ops.revoke(actorOf(c), c.req.param('permission_id'), await deletePrecondition(c)),
    ),
  )
  return app
}
