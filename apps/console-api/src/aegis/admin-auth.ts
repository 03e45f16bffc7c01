import type { ConsoleAdminOps } from '@gatekeeper/db/admin'
import { ApiError } from '@gatekeeper/models'
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../context'
import type { Metrics } from '../metrics'
import type { AuthCache } from './auth-cache'
import type { AegisClient } from './types'

const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/
const MAX_TOKEN_LENGTH = 4096

/**
 * The token of `Authorization: Bearer <token>` (RFC 6750 token68 syntax), or null. Two Authorization
 * headers arrive joined ("Bearer a, Bearer b") and fail the pattern: ambiguous credentials are refused.
 */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined || header.length > MAX_TOKEN_LENGTH + 7) return null
  const match = BEARER.exec(header.trim())
  return match?.[1] ?? null
}

export type AdminAuthDeps = {
  aegis: AegisClient
  admins: Pick<ConsoleAdminOps, 'findForAegisUser'>
  cache: AuthCache
  metrics: Metrics
}

/**
 * Every `/api/admin/*` request: the bearer token is resolved with Aegis, then the user must be a
 * console admin. 401 for a missing/invalid token, 403 for a user who is not an admin, 503 when Aegis
 * is not configured or cannot answer in time.
 */
export function adminAuth(deps: AdminAuthDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'))
    if (token === null) {
      c.header('WWW-Authenticate', 'Bearer realm="gatekeeper-console"')
      throw ApiError.unauthorized('missing or malformed bearer token (Authorization: Bearer <Aegis token>)')
    }
    const cached = deps.cache.get(token)
    deps.metrics.authCache.inc({ result: cached === undefined ? 'miss' : 'hit' })
    if (cached !== undefined) {
      c.set('admin', cached)
      return next()
    }
    const me = await deps.aegis.me(token)
    if (!me.ok) {
      if (me.reason === 'not_configured') throw ApiError.notConfigured('AEGIS_API_URL')
      if (me.reason === 'unavailable') throw ApiError.upstreamUnavailable('aegis')
      c.header('WWW-Authenticate', 'Bearer realm="gatekeeper-console", error="invalid_token"')
      throw ApiError.unauthorized('invalid or expired token')
    }
    const admin = await deps.admins.findForAegisUser({
      uuid: me.user.uuid,
      email: me.user.email,
      emailVerified: me.user.is_verified,
    })
    if (admin === null) throw ApiError.forbidden('this user is not a console admin')
    const identity = { adminId: admin.admin_id, email: admin.email, aegisUserId: me.user.uuid }
    deps.cache.set(token, identity)
    c.set('admin', identity)
    return next()
  }
}
