import type { Actor } from '@gatekeeper/db/admin'
import { ApiError } from '@gatekeeper/models'
import { OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../context'

/**
 * A sub-app for one admin resource. Request validation failures become the 400 envelope with field
 * details (the same shared schemas the operations validate with).
 */
export function adminRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw ApiError.validation(result.error)
    },
  })
}

/**
 * Who an audit row names: the signed-in console admin, or the admin token's name (a local sign-in
 * session is the local admin). The auth middleware set one of them, or the handler would not run.
 */
export function actorOf(c: Context<AppEnv>): Actor {
  const requestId = c.get('requestId')
  const token = c.get('adminToken')
  if (token !== undefined) {
    return { actor: token.name, actorType: token.kind === 'api' ? 'admin_token' : 'local_admin', requestId }
  }
  const admin = c.get('admin')
  if (admin === undefined) throw ApiError.unauthorized()
  return { actor: admin.email, actorType: 'console_admin', requestId }
}

/** The parsed JSON body (already parsed once by the validator; Hono caches it). */
export async function rawJson(c: Context<AppEnv>): Promise<unknown> {
  return c.req.json<unknown>()
}

export function setEtag(c: Context<AppEnv>, version: number | undefined): void {
  if (version !== undefined) c.header('ETag', `"${version}"`)
}
