import { Hono } from 'hono'
import type { AppDeps } from '../app-deps'
import type { AppEnv } from '../context'

/**
 * `GET /api/config`: what the web console needs at first paint, from the environment, so one console
 * build serves every tenant. Public: exactly these keys, nothing secret. `localSignIn` tells the console
 * which sign-in to offer: the Aegis form (aegisApiUrl set) and/or "use the link `gatekeeper start` printed".
 */
export function publicConfigRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const body = {
    aegisApiUrl: deps.config.aegis.apiUrl ?? '',
    siteName: deps.config.site.name,
    siteDomain: deps.config.site.domain,
    localSignIn: deps.config.localSignIn.enabled,
  }
  app.get('/', (c) => c.json(body))
  return app
}
