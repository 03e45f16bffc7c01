import { createMemoryAdmissionStore } from '@gatekeeper/limits'
import { OpenAPIHono } from '@hono/zod-openapi'
import { cors } from 'hono/cors'
import { requestId } from 'hono/request-id'
import { adminApi } from './admin'
import { localSignInRoutes } from './admin-tokens/local-sign-in'
import { adminTokenAuth } from './admin-tokens/middleware'
import { adminAuth } from './aegis/admin-auth'
import { createAuthCache } from './aegis/auth-cache'
import type { AppDeps } from './app-deps'
import { createAuthThrottle } from './auth-throttle'
import type { AppEnv } from './context'
import { notFound, onError } from './errors'
import { observe } from './middleware/observe'
import { renderDocsPage } from './openapi/docs-page'
import { openApiDocument } from './openapi/document'
import { authProxyRoutes } from './routes/auth-proxy'
import { mountConsoleStatic } from './routes/console-static'
import { healthRoutes, metricsRoutes } from './routes/health'
import { publicConfigRoutes } from './routes/public-config'
import { webhookRoutes } from './routes/webhooks'

const API_VERSION = '1.0.0'

/**
 * The console-api HTTP app, built from injected dependencies only (it reads no environment and opens
 * no connection; the one file-system look is whether CONSOLE_DIST_DIR holds a build): main.ts serves
 * it, tests call `app.request()` on it.
 */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>()
  const cache = createAuthCache({ ttlSeconds: deps.config.aegis.authCacheTtlSeconds, now: () => deps.clock.now() })

  app.onError(onError(deps.logger))
  app.notFound(notFound)
  app.use(requestId(), observe(deps))
  if (deps.config.consoleOrigins.length > 0) {
    app.use(
      '/api/*',
      cors({
        origin: deps.config.consoleOrigins,
        allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
        allowHeaders: ['Authorization', 'Content-Type', 'If-Match', 'X-Request-Id'],
        exposeHeaders: ['ETag', 'X-Request-Id', 'Gatekeeper-Cascaded'],
        maxAge: 600,
      }),
    )
  }

  app.route('/health', healthRoutes(deps))
  app.route('/metrics', metricsRoutes(deps))
  app.route('/api/config', publicConfigRoutes(deps))
  // Sign-in attempt counters and seen webhook signatures: on Redis (shared by the replicas) when REDIS_URL is set.
  const store =
    deps.authThrottleStore ??
    createMemoryAdmissionStore({ clock: () => deps.clock.now(), sweepIntervalMs: 60_000, maxCounters: 100_000 })
  const throttle = createAuthThrottle({
    store,
    ipPerMinute: deps.config.authThrottle.ipPerMinute,
    emailPerMinute: deps.config.authThrottle.emailPerMinute,
    metrics: deps.metrics,
  })
  app.route('/api/auth/local-sign-in', localSignInRoutes(deps))
  app.route('/api/auth', authProxyRoutes(deps, throttle, cache))
  app.route('/api/webhooks', webhookRoutes(deps, cache, store))
  mountConsoleStatic(app, deps.config.consoleDistDir)

  const aegisAuth = adminAuth({
    aegis: deps.aegis,
    admins: deps.adminOps.admins,
    cache,
    metrics: deps.metrics,
    siteUuid: deps.config.aegis.siteUuid,
    logger: deps.logger,
    now: () => deps.clock.now(),
  })
  const tokenAuth = { tokens: deps.adminOps.tokens, clock: deps.clock, localSignIn: deps.config.localSignIn.enabled }
  app.use('/api/admin/*', adminTokenAuth(tokenAuth, aegisAuth))
  app.route('/api/admin', adminApi(deps, cache))

  const document = openApiDocument(app, API_VERSION)
  app.get('/api/openapi.json', (c) => c.json(document()))
  let page: string | undefined
  app.get('/api/docs', (c) => {
    page ??= renderDocsPage(document())
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
    return c.html(page)
  })
  return app
}

export type ConsoleApp = ReturnType<typeof createApp>
