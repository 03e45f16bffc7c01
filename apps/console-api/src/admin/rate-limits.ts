import type { AdminOps } from '@gatekeeper/db/admin'
import {
  ApiError,
  paginationQuerySchema,
  type RateLimitUsageWire,
  rateLimitSetSchema,
  rateLimitUsageWireSchema,
  rateLimitWireSchema,
} from '@gatekeeper/models'
import { z } from '@hono/zod-openapi'
import type { UsageReader } from '../app-deps'
import type { Metrics } from '../metrics'
import { actorOf, adminRouter, rawJson } from './kit'
import { adminOperations, errorResponses, idParam, jsonBody, jsonResponse, named } from './operations'
import { countedWrites } from './writes'

const RateLimit = named(rateLimitWireSchema, 'RateLimit')
const RateLimitUsage = named(rateLimitUsageWireSchema, 'RateLimitUsage')
const operation = adminOperations('rate-limits')
const params = idParam('client_id')

const list = operation('get', '/', {
  summary: 'List rate limits',
  request: { query: paginationQuerySchema },
  responses: { 200: jsonResponse(z.array(RateLimit), 'Every client with limits'), ...errorResponses(400) },
})
const set = operation('put', '/{client_id}', {
  summary: "Set a client's rate limits",
  description: 'A number sets that window, null makes it unlimited, an omitted window keeps its value.',
  request: { params, body: jsonBody(rateLimitSetSchema, 'Requests per day and/or per minute') },
  responses: { 200: jsonResponse(RateLimit, 'The limits now in force'), ...errorResponses(400, 404, 413) },
})
const clear = operation('delete', '/{client_id}', {
  summary: "Remove a client's rate limits",
  request: { params },
  responses: { 204: { description: 'Removed' }, ...errorResponses(404) },
})
const usage = operation('get', '/{client_id}/usage', {
  summary: "A client's current consumption",
  description: 'As authz counts it in Redis; `remaining_*` is null for a window without a limit. 503 without Redis.',
  request: { params },
  responses: { 200: jsonResponse(RateLimitUsage, 'Used and remaining requests'), ...errorResponses(404) },
})

export function rateLimitsRoutes(deps: { adminOps: AdminOps; usage: UsageReader; metrics: Metrics }) {
  const ops = deps.adminOps.rateLimits
  const app = adminRouter()
  app.openapi(list, async (c) => c.json(await ops.list(c.req.query()), 200))

  app.openapi(set, async (c) =>
    countedWrites(c, deps.metrics, 'rate_limit.set').json(
      ops.set(actorOf(c), c.req.param('client_id'), await rawJson(c)),
      200,
    ),
  )
  app.openapi(clear, (c) =>
    countedWrites(c, deps.metrics, 'rate_limit.clear').noContent(ops.clear(actorOf(c), c.req.param('client_id'))),
  )

  app.openapi(usage, async (c) => {
    const client = await deps.adminOps.clients.get(c.req.param('client_id'))
    const limit = await ops.get(client.client_id).catch((err: unknown) => {
      if (err instanceof ApiError && err.code === 'not_found') return null
      throw err
    })
    const perDay = limit?.requests_per_day ?? null
    const perMinute = limit?.requests_per_minute ?? null
    if (perDay === null && perMinute === null) {
      // Nothing is counted for a client without limits.
      return c.json(
        { client_id: client.client_id, used_day: 0, remaining_day: null, used_minute: 0, remaining_minute: null },
        200,
      )
    }
    const used = await deps.usage.usage(client.client_id, { perDay, perMinute }).catch((err: unknown) => {
      throw err instanceof ApiError ? err : ApiError.upstreamUnavailable('the rate-limit store')
    })
    const body: RateLimitUsageWire = {
      client_id: client.client_id,
      used_day: used.usedDay,
      remaining_day: used.remainingDay,
      used_minute: used.usedMinute,
      remaining_minute: used.remainingMinute,
    }
    return c.json(body, 200)
  })
  return app
}
