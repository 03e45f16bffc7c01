import type { AdminOps } from '@gatekeeper/db/admin'
import { paginationQuerySchema, routeCreateSchema, routeUpdateSchema, routeWireSchema } from '@gatekeeper/models'
import { z } from '@hono/zod-openapi'
import type { Metrics } from '../metrics'
import { actorOf, adminRouter, rawJson } from './kit'
import { adminOperations, errorResponses, idParam, ifMatchHeader, jsonBody, jsonResponse, named } from './operations'
import { versionedWrites, withEtag } from './writes'

const Route = named(routeWireSchema, 'Route')
const operation = adminOperations('routes')
const params = idParam('route_id')

const list = operation('get', '/', {
  summary: 'List routes',
  description: 'A plain array in creation order; `limit`/`offset` paginate (opt-in).',
  request: { query: paginationQuerySchema },
  responses: { 200: jsonResponse(z.array(Route), 'Every route'), ...errorResponses(400) },
})

const create = operation('post', '/', {
  summary: 'Create a route',
  request: { body: jsonBody(routeCreateSchema, 'The route; `domain` defaults to `*`') },
  responses: { 201: jsonResponse(Route, 'The created route (ETag: its version)'), ...errorResponses(400, 409, 413) },
})

const get = operation('get', '/{route_id}', {
  summary: 'Read a route',
  request: { params },
  responses: { 200: jsonResponse(Route, 'The route (ETag: its version)'), ...errorResponses(404) },
})

const update = operation('put', '/{route_id}', {
  summary: 'Update a route',
  description:
    'Any of the create fields. Send `If-Match: "<version>"` (or `version` in the body) to refuse a stale write with 412.',
  request: { params, headers: ifMatchHeader, body: jsonBody(routeUpdateSchema, 'Fields to change') },
  responses: { 200: jsonResponse(Route, 'The updated route'), ...errorResponses(400, 404, 409, 412, 413) },
})

const remove = operation('delete', '/{route_id}', {
  summary: 'Delete a route and its permissions',
  description: 'The permissions on the route are deleted with it; `Gatekeeper-Cascaded` says how many.',
  request: { params, headers: ifMatchHeader },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(404, 412) },
})

export function routesRoutes(deps: { adminOps: AdminOps; metrics: Metrics }) {
  const ops = deps.adminOps.routes
  const writes = versionedWrites(ops, deps.metrics, { update: 'route.update', remove: 'route.delete' })
  const app = adminRouter()
  app.openapi(list, async (c) => c.json(await ops.list(c.req.query()), 200))

  app.openapi(create, async (c) => {
    const route = await ops.create(actorOf(c), await rawJson(c))
    deps.metrics.adminActions.inc({ action: 'route.create' })
    return withEtag(c, route, 201)
  })

  app.openapi(get, async (c) => withEtag(c, await ops.get(c.req.param('route_id')), 200))
  app.openapi(update, (c) => writes.update(c, c.req.param('route_id')))
  app.openapi(remove, (c) => writes.remove(c, c.req.param('route_id')))
  return app
}
