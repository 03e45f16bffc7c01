import { Hono } from 'hono'
import type { AppDeps } from '../app-deps'
import type { AppEnv } from '../context'

const DB_CHECK_TIMEOUT_MS = 2000

async function databaseUp(deps: AppDeps): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), DB_CHECK_TIMEOUT_MS)
  })
  const ping = deps.db.pool.query('select 1').then(
    () => true,
    () => false,
  )
  try {
    return await Promise.race([ping, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * `GET /health`: the process answers (liveness) and the database answers `select 1` within 2 s
 * (readiness). 200 when both hold, 503 otherwise. Aegis is reported as configured or not, never
 * called: its outages show as 503s on the admin API, not as an unhealthy console-api.
 */
export function healthRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  app.get('/', async (c) => {
    const dbUp = await databaseUp(deps)
    const body = {
      status: dbUp ? 'ok' : 'unavailable',
      live: true,
      database: dbUp ? 'up' : 'down',
      aegis: deps.config.aegis.apiUrl === undefined ? 'not_configured' : 'configured',
    }
    c.header('Cache-Control', 'no-store')
    return c.json(body, dbUp ? 200 : 503)
  })
  return app
}

/** `GET /metrics`: Prometheus text format from console-api's own registry. */
export function metricsRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  app.get('/', async (c) => {
    const text = await deps.metrics.registry.metrics()
    return c.body(text, 200, { 'Content-Type': deps.metrics.registry.contentType })
  })
  return app
}
