import { type ErrorDetail, errorEnvelopeSchema } from '@gatekeeper/models'
import { z } from 'zod'

/** Aegis answers `{error}` (passed through by the console-api auth proxy); a few variants add `message`. */
const aegisErrorSchema = z.looseObject({ error: z.string().optional(), message: z.string().optional() })

/**
 * Any refused or failed call. `status` is the HTTP status (0 when the server could not be reached),
 * `code` the envelope's short key, `details` the field-level messages of a validation error.
 */
export class ApiRequestError extends Error {
  readonly status: number
  readonly code: string
  readonly details: ReadonlyArray<ErrorDetail>
  /**
   * A 401 on the admin API with the session's own token: the session is over (expired or revoked).
   * Only this says "expired"; a refused sign-in is a 401 too, and must say it was refused.
   */
  sessionEnded = false

  constructor(status: number, code: string, message: string, details: ReadonlyArray<ErrorDetail> = []) {
    super(message)
    this.name = 'ApiRequestError'
    this.status = status
    this.code = code
    this.details = details
  }

  get isUnauthorized(): boolean {
    return this.status === 401
  }

  /** The endpoint does not exist on this console-api (an older or partial deployment). */
  get isMissingEndpoint(): boolean {
    return this.status === 404 || this.status === 405 || this.status === 501
  }
}

export function networkError(cause: unknown): ApiRequestError {
  const reason = cause instanceof Error ? cause.message : String(cause)
  return new ApiRequestError(0, 'network_error', `the console-api could not be reached (${reason})`)
}

/** Builds the error for a non-2xx answer from its JSON body (console-api envelope or Aegis `{error}`). */
export function errorFromBody(status: number, body: unknown): ApiRequestError {
  const envelope = errorEnvelopeSchema.safeParse(body)
  if (envelope.success) {
    const { error, message, details } = envelope.data
    return new ApiRequestError(status, error, message, details ?? [])
  }
  const aegis = aegisErrorSchema.safeParse(body)
  if (aegis.success && (aegis.data.error !== undefined || aegis.data.message !== undefined)) {
    const text = aegis.data.message ?? aegis.data.error ?? ''
    return new ApiRequestError(status, aegis.data.error ?? `http_${status}`, text)
  }
  return new ApiRequestError(status, `http_${status}`, `request failed with HTTP ${status}`)
}

export function asApiError(error: unknown): ApiRequestError {
  if (error instanceof ApiRequestError) return error
  return new ApiRequestError(0, 'client_error', error instanceof Error ? error.message : String(error))
}
