import { ApiError } from '@gatekeeper/models'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { AuthCache } from '../aegis/auth-cache'
import { PUBLIC_AUTH_CALLS, type PublicAuthCall } from '../aegis/types'
import type { AppDeps } from '../app-deps'
import { type AuthThrottle, THROTTLED_CALLS } from '../auth-throttle'
import { clientIpResolver, type NodeBindings } from '../client-ip'
import type { AppEnv } from '../context'
import { errorResponse } from '../errors'

const PROXY_BODY_LIMIT_BYTES = 64 * 1024

/** Statuses that carry no body (a body would be a protocol error). */
const BODILESS = new Set([204, 205, 304])

/**
 * The fields each call documents (besides `site_id`, which is always ours). Nothing else a browser sends
 * reaches Aegis under our tenant key.
 */
export const PROXY_FIELDS: Readonly<Record<PublicAuthCall, ReadonlyArray<string>>> = {
  login: ['email', 'password'],
  register: ['email', 'password'],
  'verify-email': ['token'],
  'check-verification-token': ['token'],
  'request-password-reset': ['email'],
  'reset-password': ['token', 'new_password'],
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
    return { ...value }
  } catch {
    return null
  }
}

/** The documented fields of `body` (each a string, or a 400), with our site id. */
function forwardedBody(call: PublicAuthCall, body: Record<string, unknown>, siteId: string): Record<string, string> {
  const out: Record<string, string> = { site_id: siteId }
  for (const field of PROXY_FIELDS[call]) {
    const value = Object.hasOwn(body, field) ? body[field] : undefined
    if (value === undefined || value === null) continue
    if (typeof value !== 'string') {
      throw new ApiError('validation_error', `invalid request: ${field}: expected a string`, [
        { path: field, message: 'expected a string' },
      ])
    }
    out[field] = value
  }
  return out
}

/**
 * `POST /api/auth/<call>`: the browser's sign-in calls, forwarded to Aegis with the tenant key and our
 * site id (AEGIS_SITE_ID, whatever the browser sent) attached here, so the browser never holds the key and
 * cannot act on another site under it. Only the fields the call documents are forwarded; client headers
 * (a client-supplied X-Tenant-Api-Key among them) never reach Aegis. login, register and
 * request-password-reset are throttled per client IP and per email (429 + Retry-After). Aegis's status
 * and JSON come back unchanged. Nothing of the body is logged. A successful password reset empties the
 * sign-in cache.
 */
export function authProxyRoutes(deps: AppDeps, throttle: AuthThrottle, cache: Pick<AuthCache, 'clear'>) {
  const app = new Hono<AppEnv & { Bindings: NodeBindings }>()
  const clientIp = clientIpResolver(deps.config.authThrottle.trustedProxies)
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
      const parsed = parseObject(await c.req.text())
      if (parsed === null) throw ApiError.badRequest('expected a JSON object body')
      const siteId = deps.config.aegis.siteId
      if (siteId === undefined) return errorResponse(c, ApiError.notConfigured('AEGIS_SITE_ID'))
      const body = forwardedBody(call, parsed, siteId)

      if (THROTTLED_CALLS.has(call)) {
        const ip = clientIp(c.env?.incoming?.socket?.remoteAddress, (name) => c.req.header(name))
        const email = body.email === undefined ? null : body.email.trim().toLowerCase()
        const verdict = await throttle.check(call, { ip, email: email === '' ? null : email })
        if (!verdict.ok) {
          deps.logger.info({ request_id: c.get('requestId'), call, key: verdict.key }, 'sign-in throttled')
          c.header('Retry-After', String(verdict.retryAfterSeconds))
          return errorResponse(c, ApiError.rateLimited('too many attempts; retry later'))
        }
      }

      const result = await deps.aegis.forward(call, body)
      if (!result.ok) {
        if (result.reason === 'not_configured') {
          return errorResponse(c, ApiError.notConfigured('AEGIS_API_URL / AEGIS_TENANT_API_KEY'))
        }
        deps.logger.warn({ request_id: c.get('requestId'), call, failure: result.failure }, 'aegis unavailable')
        return errorResponse(c, ApiError.upstreamUnavailable('aegis'))
      }
      // A password was just reset (we cannot tell whose): every cached sign-in is checked with Aegis again, so
      // tokens Aegis ended with the old password stop working here at once rather than when their entry expires.
      if (call === 'reset-password' && result.status >= 200 && result.status < 300) cache.clear()
      c.header('Cache-Control', 'no-store')
      if (BODILESS.has(result.status) || result.body.trim() === '') return c.body(null, result.status as 204)
      return c.body(result.body, result.status as 200, { 'Content-Type': 'application/json; charset=utf-8' })
    })
  }
  return app
}
