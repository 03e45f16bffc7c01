import type { ConsoleAdminOps } from '@gatekeeper/db/admin'
import { ApiError } from '@gatekeeper/models'
import type { MiddlewareHandler } from 'hono'
import type { Logger } from 'pino'
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
  admins: Pick<ConsoleAdminOps, 'findForAegisUser' | 'isBoundAdmin' | 'recordForeignSiteSignIn'>
  cache: AuthCache
  metrics: Metrics
  /** Our Aegis site (AEGIS_SITE_UUID, else AEGIS_SITE_ID): only its users can be console admins. */
  siteUuid: string | undefined
  logger: Logger
  /** Milliseconds since the epoch (spacing of the foreign-site audit entries). */
  now: () => number
}

/** One audit entry per foreign-site user per this long: a stream of refused requests must not flood the log. */
const FOREIGN_AUDIT_INTERVAL_MS = 10 * 60 * 1000
const FOREIGN_AUDIT_MAX_KEYS = 10_000

const sameSite = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase()

/**
 * Every `/api/admin/*` request: the bearer token is resolved with Aegis, the user must belong to our
 * Aegis site, then be a console admin. 401 for a missing/invalid token; 403 for a user of another site
 * (audited) or a user who is not an admin; 503 when Aegis (or our site) is not configured or Aegis
 * cannot answer in time.
 */
export function adminAuth(deps: AdminAuthDeps): MiddlewareHandler<AppEnv> {
  const foreignAudited = new Map<string, number>()

  async function auditForeignSite(user: { uuid: string; email: string; site_uuid: string }): Promise<void> {
    const key = `${user.site_uuid}\u0000${user.uuid}`
    const now = deps.now()
    const last = foreignAudited.get(key)
    if (last !== undefined && now - last < FOREIGN_AUDIT_INTERVAL_MS) return
    if (foreignAudited.size >= FOREIGN_AUDIT_MAX_KEYS) foreignAudited.clear()
    foreignAudited.set(key, now)
    try {
      await deps.admins.recordForeignSiteSignIn({ uuid: user.uuid, email: user.email, siteUuid: user.site_uuid })
    } catch (err) {
      // The refusal stands; the entry is tried again on the next request.
      foreignAudited.delete(key)
      deps.logger.warn(
        { err: { name: err instanceof Error ? err.name : typeof err } },
        'could not audit a refused sign-in',
      )
    }
  }

  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'))
    if (token === null) {
      c.header('WWW-Authenticate', 'Bearer realm="gatekeeper-console"')
      throw ApiError.unauthorized('missing or malformed bearer token (Authorization: Bearer <Aegis token>)')
    }
    const site = deps.siteUuid
    if (site === undefined) throw ApiError.notConfigured('AEGIS_SITE_UUID (or AEGIS_SITE_ID)')
    const cached = deps.cache.get(token)
    deps.metrics.authCache.inc({ result: cached === undefined ? 'miss' : 'hit' })
    if (cached !== undefined) {
      // The cache spares Aegis, not our own table: an admin removed on any replica is refused at once, since the
      // answer is then decided again from scratch below.
      if (await deps.admins.isBoundAdmin(cached.adminId, cached.aegisUserId)) {
        c.set('admin', cached)
        return next()
      }
      deps.cache.delete(token)
    }
    const me = await deps.aegis.me(token)
    if (!me.ok) {
      if (me.reason === 'not_configured') throw ApiError.notConfigured('AEGIS_API_URL')
      if (me.reason === 'unavailable') throw ApiError.upstreamUnavailable('aegis')
      c.header('WWW-Authenticate', 'Bearer realm="gatekeeper-console", error="invalid_token"')
      throw ApiError.unauthorized('invalid or expired token')
    }
    if (!sameSite(me.user.site_uuid, site)) {
      deps.metrics.adminAuthRefusals.inc({ reason: 'foreign_site' })
      await auditForeignSite(me.user)
      throw ApiError.forbidden('this Aegis user belongs to another Aegis site than this console')
    }
    const admin = await deps.admins.findForAegisUser({
      uuid: me.user.uuid,
      email: me.user.email,
      emailVerified: me.user.is_verified,
    })
    if (admin === null) {
      deps.metrics.adminAuthRefusals.inc({ reason: 'not_admin' })
      throw ApiError.forbidden('this user is not a console admin')
    }
    const identity = { adminId: admin.admin_id, email: admin.email, aegisUserId: me.user.uuid }
    deps.cache.set(token, identity)
    c.set('admin', identity)
    return next()
  }
}
