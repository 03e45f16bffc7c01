import type { RequestIdVariables } from 'hono/request-id'

/** The console admin a request was authenticated as (set by the admin auth middleware). */
export type AdminIdentity = {
  adminId: string
  email: string
  aegisUserId: string
}

/** Hono's environment for every console-api handler. */
export type AppEnv = {
  Variables: RequestIdVariables & { admin: AdminIdentity }
}
