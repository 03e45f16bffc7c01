import { z } from 'zod'
import type { HttpClient } from './http'

/**
 * Aegis's login answer as the console-api proxy passes it back. `expires_at` may be epoch seconds,
 * milliseconds or an ISO date depending on the Aegis version; extra fields are kept.
 */
const loginResultSchema = z.looseObject({
  token: z.string().min(1),
  user_uuid: z.string().optional(),
  expires_at: z.union([z.number(), z.string()]).nullish(),
})

export type LoginResult = z.output<typeof loginResultSchema>

const anyJson = z.unknown()

/** The session a local sign-in link is exchanged for: an admin token for the bearer header. */
const localSessionSchema = z.object({ token: z.string().min(1), expires_at: z.number(), name: z.string() })

/** The six Aegis calls, through console-api (which adds the tenant key and site id server-side). */
export function createAuthApi(http: HttpClient) {
  return {
    login: (body: { email: string; password: string }) =>
      http.request('POST', '/api/auth/login', loginResultSchema, { body }),
    register: (body: { email: string; password: string }) =>
      http.request('POST', '/api/auth/register', anyJson, { body }),
    verifyEmail: (body: { token: string }) => http.request('POST', '/api/auth/verify-email', anyJson, { body }),
    checkVerificationToken: (body: { token: string }) =>
      http.request('POST', '/api/auth/check-verification-token', anyJson, { body }),
    requestPasswordReset: (body: { email: string }) =>
      http.request('POST', '/api/auth/request-password-reset', anyJson, { body }),
    resetPassword: (body: { token: string; new_password: string }) =>
      http.request('POST', '/api/auth/reset-password', anyJson, { body }),
    /** Spends a one-time local sign-in code (from the link `gatekeeper start` prints). */
    localSignIn: (code: string) =>
      http.request('POST', '/api/auth/local-sign-in', localSessionSchema, { body: { code } }),
  }
}

export type AuthApi = ReturnType<typeof createAuthApi>

/** Turns Aegis's `expires_at` into epoch milliseconds, or null when it is absent or unreadable. */
export function expiresAtMillis(value: LoginResult['expires_at']): number | null {
  if (value === undefined || value === null) return null
  if (typeof value === 'number') return value < 1e12 ? value * 1000 : value
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return expiresAtMillis(Number(trimmed))
  const parsed = Date.parse(trimmed)
  return Number.isNaN(parsed) ? null : parsed
}
