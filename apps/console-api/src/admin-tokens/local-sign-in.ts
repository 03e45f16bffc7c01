import { ApiError, localSignInRequestSchema } from '@gatekeeper/models'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { AppDeps } from '../app-deps'
import type { AppEnv } from '../context'

/**
 * `POST /api/auth/local-sign-in` `{code}`: spends a one-time sign-in code (printed by `gatekeeper start`
 * as a console link) for a short-lived admin session token, which the console then sends as its bearer
 * token. Refused (403) unless local sign-in is on: by default only when Aegis is not configured.
 */
export function localSignInRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  app.use(
    bodyLimit({
      maxSize: 4096,
      onError: () => {
        throw ApiError.payloadTooLarge()
      },
    }),
  )
  app.post('/', async (c) => {
    if (!deps.config.localSignIn.enabled) {
      throw ApiError.forbidden(
        'local sign-in is off: Aegis is configured (an operator can turn it on with CONSOLE_LOCAL_SIGNIN=true)',
      )
    }
    let body: unknown
    try {
      body = await c.req.json<unknown>()
    } catch {
      throw ApiError.badRequest('expected a JSON body {"code": "gkl_..."}')
    }
    const input = localSignInRequestSchema.safeParse(body)
    if (!input.success) throw ApiError.validation(input.error)
    const session = await deps.adminOps.tokens.exchangeSignInCode(input.data.code.trim(), {
      now: new Date(deps.clock.now()),
      sessionSeconds: deps.config.localSignIn.sessionSeconds,
      requestId: c.get('requestId'),
    })
    if (session === null) {
      c.header('WWW-Authenticate', 'Bearer realm="gatekeeper-console", error="invalid_token"')
      throw ApiError.unauthorized(
        'this sign-in link is invalid, already used or expired: run `gatekeeper admin sign-in-link` for a new one',
      )
    }
    deps.logger.info({ request_id: c.get('requestId'), admin_token_id: session.identity.tokenId }, 'local sign-in')
    c.header('Cache-Control', 'no-store')
    return c.json({
      token: session.token,
      expires_at: Math.floor(session.expiresAt.getTime() / 1000),
      name: session.identity.name,
    })
  })
  return app
}
