import type { AdminOps } from '@gatekeeper/db/admin'
import { ApiError, consoleAdminCreateSchema, consoleAdminWireSchema, idSchema } from '@gatekeeper/models'
import { z } from '@hono/zod-openapi'
import type { AuthCache } from '../aegis/auth-cache'
import type { Metrics } from '../metrics'
import { actorOf, adminRouter, rawJson } from './kit'
import { adminOperations, errorResponses, idParam, jsonBody, jsonResponse, named } from './operations'
import { countedWrites } from './writes'

const ConsoleAdmin = named(consoleAdminWireSchema, 'ConsoleAdmin')
const operation = adminOperations('console admins')

const list = operation('get', '/', {
  summary: 'List console admins',
  responses: { 200: jsonResponse(z.array(ConsoleAdmin), 'Every console admin'), ...errorResponses() },
})
const add = operation('post', '/', {
  summary: 'Add a console admin',
  description: 'By email; the Aegis user id is bound on their first sign-in with that (verified) email.',
  request: { body: jsonBody(consoleAdminCreateSchema, 'The admin to add') },
  responses: { 201: jsonResponse(ConsoleAdmin, 'The new admin'), ...errorResponses(400, 409, 413) },
})
const remove = operation('delete', '/{admin_id}', {
  summary: 'Remove a console admin',
  description: 'Takes effect at once (cached sign-ins are dropped). Removing yourself is refused (409).',
  request: { params: idParam('admin_id') },
  responses: { 204: { description: 'Removed' }, ...errorResponses(404, 409) },
})

export function adminsRoutes(deps: { adminOps: AdminOps; metrics: Metrics; cache: AuthCache }) {
  const ops = deps.adminOps.admins
  const app = adminRouter()
  app.openapi(list, async (c) => c.json(await ops.list(), 200))

  app.openapi(add, async (c) =>
    countedWrites(c, deps.metrics, 'console_admin.add').json(ops.add(actorOf(c), await rawJson(c)), 201),
  )

  app.openapi(remove, async (c) => {
    const id = idSchema.safeParse(c.req.param('admin_id'))
    if (id.success && id.data === c.get('admin')?.adminId) {
      throw ApiError.conflict('you cannot remove yourself; ask another console admin')
    }
    await ops.remove(actorOf(c), c.req.param('admin_id'))
    deps.cache.clear()
    deps.metrics.adminActions.inc({ action: 'console_admin.remove' })
    return c.body(null, 204)
  })
  return app
}
