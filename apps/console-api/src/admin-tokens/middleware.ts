import { isAdminTokenLike } from '@gatekeeper/crypto'
import type { AdminTokenOps } from '@gatekeeper/db/admin'
import { ApiError } from '@gatekeeper/models'
import type { MiddlewareHandler } from 'hono'
import { bearerToken } from '../aegis/admin-auth'
import type { Clock } from '../app-deps'
import type { AppEnv } from '../context'

/** What a read-scoped token may do: look, never change. */
const READ_METHODS = new Set(['GET', 'HEAD'])
/** POSTs that only read (a plan sends a file to compare, and writes nothing). */
const READ_POSTS = new Set(['/api/admin/config/plan'])

const REFUSALS = {
  malformed: 'malformed admin token (check for a copy-paste error)',
  unknown: 'unknown admin token',
  revoked: 'this admin token has been revoked',
  expired: 'this admin token has expired',
  local_sign_in_off: 'local sign-in sessions are not accepted here (local sign-in is off)',
} as const

export type AdminTokenAuthDeps = {
  tokens: Pick<AdminTokenOps, 'authenticate'>
  clock: Clock
  /** Whether local sign-in sessions are honoured (config.localSignIn.enabled). */
  localSignIn: boolean
}

/**
 * Runs before the Aegis check on `/api/admin/*`. A bearer token with our prefix (`gka_`) is decided
 * here, from the database, and never forwarded to Aegis; anything else goes on to `aegisAuth`. So admin
 * tokens work whether or not Aegis is configured or reachable.
 */
export function adminTokenAuth(
  deps: AdminTokenAuthDeps,
  aegisAuth: MiddlewareHandler<AppEnv>,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'))
    if (token === null) {
      c.header('WWW-Authenticate', 'Bearer realm="gatekeeper-console"')
      throw ApiError.unauthorized(
        'missing or malformed bearer token (Authorization: Bearer <admin token or Aegis token>)',
      )
    }
    if (!isAdminTokenLike(token)) return aegisAuth(c, next)
    const refuse = (message: string): never => {
      c.header('WWW-Authenticate', 'Bearer realm="gatekeeper-console", error="invalid_token"')
      throw ApiError.unauthorized(message)
    }
    const check = await deps.tokens.authenticate(token, new Date(deps.clock.now()))
    if (!check.ok) return refuse(REFUSALS[check.reason])
    const identity = check.identity
    if (identity.kind === 'local_session' && !deps.localSignIn) return refuse(REFUSALS.local_sign_in_off)
    const reads = READ_METHODS.has(c.req.method) || (c.req.method === 'POST' && READ_POSTS.has(c.req.path))
    if (identity.scope === 'read' && !reads) {
      throw ApiError.forbidden(`admin token "${identity.name}" is read-only`)
    }
    c.set('adminToken', identity)
    return next()
  }
}
