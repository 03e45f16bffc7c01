import type { MiddlewareHandler } from 'hono'
import { matchedRoutes } from 'hono/route'
import type { Logger } from 'pino'
import type { AppEnv } from '../context'
import type { Metrics } from '../metrics'

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])

/**
 * The route template that answered (`/api/admin/routes/:route_id`), never the raw path: labels stay a
 * small closed set. Middleware is registered for method ALL, so a request that matched nothing but
 * middleware is `unmatched`.
 */
function routeTemplate(c: Parameters<MiddlewareHandler<AppEnv>>[0]): string {
  const routes = matchedRoutes(c)
  for (let i = routes.length - 1; i >= 0; i--) {
    const route = routes[i]
    if (route !== undefined && route.method !== 'ALL') return route.path
  }
  return 'unmatched'
}

/** One log line and one metrics sample per request. Bodies and headers are never logged. */
export function observe(deps: { logger: Logger; metrics: Metrics }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now()
    await next()
    const seconds = (performance.now() - started) / 1000
    const route = routeTemplate(c)
    const method = KNOWN_METHODS.has(c.req.method) ? c.req.method : 'OTHER'
    const status = String(c.res.status)
    deps.metrics.httpRequests.inc({ route, method, status })
    deps.metrics.httpDuration.observe({ route, method, status }, seconds)
    const admin = c.get('admin')
    const token = c.get('adminToken')
    deps.logger.info(
      {
        request_id: c.get('requestId'),
        method,
        route,
        status: c.res.status,
        duration_ms: Math.round(seconds * 1e4) / 10,
        ...(admin === undefined ? {} : { admin: admin.email }),
        ...(token === undefined ? {} : { admin_token: token.name, admin_token_id: token.tokenId }),
      },
      'request',
    )
  }
}
