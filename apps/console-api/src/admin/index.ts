import { ApiError } from '@gatekeeper/models'
import { bodyLimit } from 'hono/body-limit'
import { adminTokensRoutes } from '../admin-tokens/routes'
import type { AuthCache } from '../aegis/auth-cache'
import type { AppDeps } from '../app-deps'
import { adminsRoutes } from './admins'
import { auditRoutes } from './audit'
import { clientsRoutes } from './clients'
import { CONFIG_FILE_PATHS, configRoutes } from './config'
import { adminRouter } from './kit'
import { permissionsRoutes } from './permissions'
import { rateLimitsRoutes } from './rate-limits'
import { routesRoutes } from './routes'
import { sessionRoutes } from './session'

const ADMIN_BODY_LIMIT_BYTES = 1024 * 1024

/**
 * The admin API under `/api/admin`, one sub-app per resource. Authentication is applied by the caller
 * (createApp) before this app, so nothing here runs for an unauthenticated request.
 */
export function adminApi(deps: AppDeps, cache: AuthCache) {
  const app = adminRouter()
  const limit = bodyLimit({
    maxSize: ADMIN_BODY_LIMIT_BYTES,
    onError: () => {
      throw ApiError.payloadTooLarge()
    },
  })
  // A configuration file is the whole configuration: its two routes set their own, larger limit.
  app.use((c, next) => (CONFIG_FILE_PATHS.has(c.req.path) ? next() : limit(c, next)))
  app.use(async (c, next) => {
    await next()
    // Admin answers describe live configuration (and sometimes raw credentials): never cached.
    c.header('Cache-Control', 'no-store')
  })
  app.route('/routes', routesRoutes(deps))
  app.route('/clients', clientsRoutes(deps))
  app.route('/permissions', permissionsRoutes(deps))
  app.route('/rate-limits', rateLimitsRoutes(deps))
  app.route('/admins', adminsRoutes({ ...deps, cache }))
  app.route('/audit', auditRoutes(deps))
  app.route('/tokens', adminTokensRoutes(deps))
  app.route('/config', configRoutes({ ...deps, cache }))
  app.route('/session', sessionRoutes({ ...deps, cache }))
  return app
}
