import { z } from 'zod'

/** The one error vocabulary of the admin API and the services. */
export const ErrorCode = {
  validation_error: 'validation_error',
  bad_request: 'bad_request',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  not_found: 'not_found',
  conflict: 'conflict',
  precondition_failed: 'precondition_failed',
  payload_too_large: 'payload_too_large',
  rate_limited: 'rate_limited',
  internal_error: 'internal_error',
  upstream_unavailable: 'upstream_unavailable',
  service_unavailable: 'service_unavailable',
  not_configured: 'not_configured',
} as const

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]

export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  validation_error: 400,
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  rate_limited: 429,
  internal_error: 500,
  upstream_unavailable: 503,
  service_unavailable: 503,
  not_configured: 503,
}

/**
 * The envelope's `status` word. The original used "error" for generic failures and a word per
 * auth outcome; consumers key on `code` (HTTP status) and `error` (the short key).
 */
export const ERROR_STATUS_WORD: Readonly<Record<ErrorCode, string>> = {
  validation_error: 'error',
  bad_request: 'error',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  not_found: 'not_found',
  conflict: 'conflict',
  precondition_failed: 'precondition_failed',
  payload_too_large: 'payload_too_large',
  rate_limited: 'rate_limited',
  internal_error: 'error',
  upstream_unavailable: 'unavailable',
  service_unavailable: 'unavailable',
  not_configured: 'unavailable',
}

export type ErrorDetail = {
  path: string
  message: string
  /** Where in a submitted file (a configuration file): 1-based line and column, when known. */
  line?: number
  column?: number
}

/** Field-level messages: `methods.GET.auth_type: auth_type must be null when ...`; '' is the whole body. */
export function zodIssuesToDetails(error: { issues: ReadonlyArray<z.core.$ZodIssue> }): Array<ErrorDetail> {
  return error.issues.map((issue) => ({
    path: issue.path.map((key) => String(key)).join('.'),
    message: issue.message,
  }))
}

const MAX_DETAILS_IN_MESSAGE = 3

function describeDetails(details: ReadonlyArray<ErrorDetail>): string {
  const shown = details.slice(0, MAX_DETAILS_IN_MESSAGE).map((d) => (d.path ? `${d.path}: ${d.message}` : d.message))
  const more = details.length - shown.length
  return more > 0 ? `${shown.join('; ')} (and ${more} more)` : shown.join('; ')
}

export class ApiError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly details: Array<ErrorDetail> | undefined

  constructor(code: ErrorCode, message: string, details?: Array<ErrorDetail>) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.status = ERROR_STATUS[code]
    this.details = details
  }

  static validation(error: { issues: ReadonlyArray<z.core.$ZodIssue> }): ApiError {
    const details = zodIssuesToDetails(error)
    return new ApiError('validation_error', `invalid request: ${describeDetails(details)}`, details)
  }

  static badRequest(message: string): ApiError {
    return new ApiError('bad_request', message)
  }

  static unauthorized(message = 'authentication required'): ApiError {
    return new ApiError('unauthorized', message)
  }

  static forbidden(message = 'forbidden'): ApiError {
    return new ApiError('forbidden', message)
  }

  /** `ApiError.notFound('client')` -> "client not found". */
  static notFound(entity: string): ApiError {
    return new ApiError('not_found', `${entity} not found`)
  }

  static conflict(message: string): ApiError {
    return new ApiError('conflict', message)
  }

  static preconditionFailed(message = 'the resource was changed by someone else; reload it and retry'): ApiError {
    return new ApiError('precondition_failed', message)
  }

  static payloadTooLarge(message = 'request body too large'): ApiError {
    return new ApiError('payload_too_large', message)
  }

  static rateLimited(message = 'too many requests'): ApiError {
    return new ApiError('rate_limited', message)
  }

  /** Never carries the cause's text: internals must not reach a response. */
  static internal(): ApiError {
    return new ApiError('internal_error', 'internal error')
  }

  /** `ApiError.upstreamUnavailable('aegis')` -> "aegis is unavailable". */
  static upstreamUnavailable(upstream: string): ApiError {
    return new ApiError('upstream_unavailable', `${upstream} is unavailable`)
  }

  static serviceUnavailable(message = 'service unavailable'): ApiError {
    return new ApiError('service_unavailable', message)
  }

  /** `ApiError.notConfigured('AEGIS_API_URL')` -> "AEGIS_API_URL is not configured". */
  static notConfigured(what: string): ApiError {
    return new ApiError('not_configured', `${what} is not configured`)
  }

  /** Maps anything thrown to an ApiError: zod errors become validation errors, the rest internal. */
  static from(error: unknown): ApiError {
    if (error instanceof ApiError) return error
    if (error instanceof z.core.$ZodError) return ApiError.validation(error)
    return ApiError.internal()
  }
}

export type ErrorEnvelope = {
  /** The HTTP status. */
  code: number
  status: string
  message: string
  /** The short key (an ErrorCode). */
  error: string
  details?: Array<ErrorDetail>
}

export function errorEnvelope(err: ApiError): ErrorEnvelope {
  const envelope: ErrorEnvelope = {
    code: err.status,
    status: ERROR_STATUS_WORD[err.code],
    message: err.message,
    error: err.code,
  }
  if (err.details !== undefined && err.details.length > 0) envelope.details = err.details
  return envelope
}

/** The error body as consumers (the CLI) read it; lenient about extra keys. */
export const errorEnvelopeSchema = z.object({
  code: z.number().int(),
  status: z.string(),
  message: z.string(),
  error: z.string(),
  details: z
    .array(
      z.object({
        path: z.string(),
        message: z.string(),
        line: z.number().int().optional(),
        column: z.number().int().optional(),
      }),
    )
    .optional(),
})
