import type { AegisUser } from '@gatekeeper/models'

/** The six public Aegis calls console-api proxies (`POST /api/auth/<call>`). */
export const PUBLIC_AUTH_CALLS = [
  'login',
  'register',
  'verify-email',
  'check-verification-token',
  'request-password-reset',
  'reset-password',
] as const
export type PublicAuthCall = (typeof PUBLIC_AUTH_CALLS)[number]

/** Why Aegis could not give an answer (the metrics' `reason` label). */
export type AegisFailure = 'timeout' | 'network' | 'server_error' | 'bad_response' | 'unexpected_status'

export type AegisMeResult =
  | { ok: true; user: AegisUser }
  | { ok: false; reason: 'invalid_token' }
  | { ok: false; reason: 'not_configured' }
  | { ok: false; reason: 'unavailable'; failure: AegisFailure }

/** Aegis's answer to a proxied call: its status and its body text (JSON, or empty). */
export type AegisForwardResult =
  | { ok: true; status: number; body: string }
  | { ok: false; reason: 'not_configured' }
  | { ok: false; reason: 'unavailable'; failure: AegisFailure }

/** Everything console-api asks of Aegis. Tests hand in the real client pointed at a fake Aegis. */
export interface AegisClient {
  /** Resolves a bearer token with `GET /api/auth/me` (one attempt, bounded by the timeout). */
  me(token: string): Promise<AegisMeResult>
  /** Sends a public auth call with the tenant key attached; the body is sent as given. */
  forward(call: PublicAuthCall, body: Record<string, unknown>): Promise<AegisForwardResult>
}
