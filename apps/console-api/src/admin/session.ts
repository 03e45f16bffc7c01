import type { AdminOps } from '@gatekeeper/db/admin'
import { ApiError } from '@gatekeeper/models'
import { bearerToken } from '../aegis/admin-auth'
import type { AuthCache } from '../aegis/auth-cache'
import type { Metrics } from '../metrics'
import { actorOf, adminRouter } from './kit'
import { adminOperations, errorResponses } from './operations'

const operation = adminOperations('session')

const signOut = operation('delete', '/', {
  summary: 'Sign out: end the session this bearer token is',
  description:
    'A local sign-in session (`gka_…` from a sign-in link) is revoked at once: a copy of the token is refused from ' +
    'then on, on every replica. An Aegis token is dropped from the sign-in cache, so its next use asks Aegis again ' +
    '(Aegis itself decides how long the token lives). An admin API token is not a session: `409`, revoke it with ' +
    '`DELETE /api/admin/tokens/{token_id}`.',
  responses: { 204: { description: 'Signed out' }, ...errorResponses(409) },
})

export function sessionRoutes(deps: { adminOps: AdminOps; metrics: Metrics; cache: AuthCache }) {
  const app = adminRouter()
  app.openapi(signOut, async (c) => {
    const token = c.get('adminToken')
    if (token?.kind === 'api') {
      throw ApiError.conflict(
        `admin token "${token.name}" is not a session: revoke it with DELETE /api/admin/tokens/${token.tokenId}`,
      )
    }
    if (token !== undefined) {
      // Another sign-out with the same token raced this one and won: the session is over either way.
      await deps.adminOps.tokens.endSession(actorOf(c), token.tokenId)
    } else {
      const raw = bearerToken(c.req.header('authorization'))
      if (raw !== null) deps.cache.delete(raw)
    }
    deps.metrics.adminActions.inc({ action: 'session.sign_out' })
    return c.body(null, 204)
  })
  return app
}
