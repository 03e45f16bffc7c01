import type { AdminTokenIdentity } from '@gatekeeper/db/admin'
import type { RequestIdVariables } from 'hono/request-id'

/** The console admin a request was authenticated as (set by the admin auth middleware). */
export type AdminIdentity = {
  adminId: string
  email: string
  aegisUserId: string
}

/**
 * Hono's environment for every console-api handler. An admin request carries exactly one of `admin`
 * (an Aegis user who is a console admin) or `adminToken` (an admin API token or local sign-in session).
 */
export type AppEnv = {
  Variables: RequestIdVariables & { admin?: AdminIdentity; adminToken?: AdminTokenIdentity }
}
