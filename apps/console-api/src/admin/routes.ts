import type { AdminOps } from '@gatekeeper/db/admin'
import { paginationQuerySchema, routeCreateSchema, routeUpdateSchema, routeWireSchema } from '@gatekeeper/models'
import { createRoute, z } from '@hono/zod-openapi'
import type { Metrics } from '../metrics'
import { cascadeHeader, expectedVersion, optionalDeleteBody, withVersion } from './concurrency'
import {
  actorOf,
  adminRouter,
  errorResponses,
  idParam,
  ifMatchHeader,
  jsonBody,
  jsonResponse,
  named,
  rawJson,
  security,
  setEtag,
} from './kit'

const Route = named(routeWireSchema, 'Route')
const tags = ['routes']
const params = idParam('route_id')

const list = createRoute({
  method: 'get',
  path: '/',
  tags,
  security,
  summary: 'List routes',
  description: 'A plain array in creation order; `limit`/`offset` paginate (opt-in).',
  request: { query: paginationQuerySchema },
  responses: { 200: jsonResponse(z.array(Route), 'Every route'), ...errorResponses(400) },
})

const create = createRoute({
  method: 'post',
  path: '/',
  tags,
  security,
  summary: 'Create a route',
  request: { body: jsonBody(routeCreateSchema, 'The route; `domain` defaults to `*`') },
  responses: { 201: jsonResponse(Route, 'The created route (ETag: its version)'), ...errorResponses(400, 409, 413) },
})

const get = createRoute({
  method: 'get',
  path: '/{route_id}',
  tags,
  security,
  summary: 'Read a route',
  request: { params },
  responses: { 200: jsonResponse(Route, 'The route (ETag: its version)'), ...errorResponses(404) },
})

const update = createRoute({
  method: 'put',
  path: '/{route_id}',
  tags,
  security,
  summary: 'Update a route',
  description:
    'Any of the create fields. Send `If-Match: "<version>"` (or `version` in the body) to refuse a stale write with 412.',
  request: { params, headers: ifMatchHeader, body: jsonBody(routeUpdateSchema, 'Fields to change') },
  responses: { 200: jsonResponse(Route, 'The updated route'), ...errorResponses(400, 404, 409, 412, 413) },
})

const remove = createRoute({
  method: 'delete',
  path: '/{route_id}',
  tags,
  security,
  summary: 'Delete a route and its permissions',
  description: 'The permissions on the route are deleted with it; `Gatekeeper-Cascaded` says how many.',
  request: { params, headers: ifMatchHeader },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(404, 412) },
})

export function routesRoutes(deps: { adminOps: AdminOps; metrics: Metrics }) {
  const ops = deps.adminOps.routes
  const app = adminRouter()
  app.openapi(list, async (c) => c.json(await ops.list(c.req.query()), 200))

  app.openapi(create, async (c) => {
    const route = await ops.create(actorOf(c), await rawJson(c))
    deps.metrics.adminActions.inc({ action: 'route.create' })
    setEtag(c, route.version)
    return c.json(route, 201)
  })

  app.openapi(get, async (c) => {
    const route = await ops.get(c.req.param('route_id'))
    setEtag(c, route.version)
    return c.json(route, 200)
  })

  app.openapi(update, async (c) => {
    const body = await rawJson(c)
    const route = await ops.update(actorOf(c), c.req.param('route_id'), withVersion(body, expectedVersion(c, body)))
    deps.metrics.adminActions.inc({ action: 'route.update' })
    setEtag(c, route.version)
    return c.json(route, 200)
  })

  app.openapi(remove, async (c) => {
    const expected = expectedVersion(c, await optionalDeleteBody(c))
    const removed = await ops.remove(actorOf(c), c.req.param('route_id'), { expectedVersion: expected })
    deps.metrics.adminActions.inc({ action: 'route.delete' })
    c.header('Gatekeeper-Cascaded', cascadeHeader(removed.cascaded))
    return c.body(null, 204)
  })
  return app
}
