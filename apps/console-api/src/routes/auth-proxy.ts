import { ApiError } from '@gatekeeper/models'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { PUBLIC_AUTH_CALLS } from '../aegis/types'
import type { AppDeps } from '../app-deps'
import type { AppEnv } from '../context'
import { errorResponse } from '../errors'

export const PROXY_BODY_LIMIT_BYTES = 64 * 1024

/** Statuses that carry no body (a body would be a protocol error). */
const BODILESS = new Set([204, 205, 304])

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
    return { ...value }
  } catch {
    return null
  }
}

/**
 * `POST /api/auth/<call>`: the browser's sign-in calls, forwarded to Aegis with the tenant key (and the
 * site id when the body has none) attached here, so the browser never holds the key. Only the JSON body
 * is forwarded: client headers (a client-supplied X-Tenant-Api-Key among them) never reach Aegis.
 * Aegis's status and JSON come back unchanged. Nothing of the body is logged.
 */
export function authProxyRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  app.use(
    bodyLimit({
      maxSize: PROXY_BODY_LIMIT_BYTES,
      onError: () => {
        throw ApiError.payloadTooLarge()
      },
    }),
  )

  for (const call of PUBLIC_AUTH_CALLS) {
    app.post(`/${call}`, async (c) => {
      const body = parseObject(await c.req.text())
      if (body === null) throw ApiError.badRequest('expected a JSON object body')
      const siteId = deps.config.aegis.siteId
      if (siteId !== undefined && (body.site_id === undefined || body.site_id === null || body.site_id === '')) {
        body.site_id = siteId
      }
      const result = await deps.aegis.forward(call, body)
      if (!result.ok) {
        if (result.reason === 'not_configured') {
          return errorResponse(c, ApiError.notConfigured('AEGIS_API_URL / AEGIS_TENANT_API_KEY'))
        }
        deps.logger.warn({ request_id: c.get('requestId'), call, failure: result.failure }, 'aegis unavailable')
        return errorResponse(c, ApiError.upstreamUnavailable('aegis'))
      }
      c.header('Cache-Control', 'no-store')
      if (BODILESS.has(result.status) || result.body.trim() === '') return c.body(null, result.status as 204)
      return c.body(result.body, result.status as 200, { 'Content-Type': 'application/json; charset=utf-8' })
    })
  }
  return app
}
