import { isDatabaseUnavailable } from '@gatekeeper/db/hosts'
import { ApiError, errorEnvelope } from '@gatekeeper/models'
import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Logger } from 'pino'
import { z } from 'zod'
import type { AppEnv } from './context'

/** Hono's own exceptions (malformed JSON, wrong media type, body limit) in our vocabulary. */
function fromHttpException(err: HTTPException): ApiError | null {
  switch (err.status) {
    case 400:
      return ApiError.badRequest(/json/i.test(err.message) ? 'malformed JSON in request body' : 'bad request')
    case 401:
      return ApiError.unauthorized()
    case 413:
      return ApiError.payloadTooLarge()
    case 415:
      return ApiError.badRequest('expected a JSON body (Content-Type: application/json)')
    default:
      return null
  }
}

export function errorResponse(c: Context, err: ApiError): Response {
  return c.json(errorEnvelope(err), err.status as ContentfulStatusCode)
}

type Described = { name: string; message: string; stack?: string | undefined; sql_state?: string }

/** The SQLSTATE somewhere in an error's cause chain (drizzle wraps the driver's error), or undefined. */
function sqlStateOf(err: unknown): string | undefined {
  let current: unknown = err
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code: unknown = Reflect.get(current, 'code')
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code
    current = Reflect.get(current, 'cause')
  }
  return undefined
}

/** A failed query as drizzle reports it: its message (and stack) quote the SQL text and every parameter. */
function isQueryError(err: Error): boolean {
  return Reflect.has(err, 'params') || Reflect.has(err, 'query') || err.message.startsWith('Failed query')
}

/**
 * Something this code did not anticipate: its name and message for the log, never for the client. A
 * database error is reduced to its SQLSTATE: query text, parameters (request values) and the driver's
 * detail never reach a log line.
 */
function describeUnexpected(err: unknown): Described {
  if (!(err instanceof Error)) return { name: typeof err, message: String(err) }
  const sqlState = sqlStateOf(err)
  if (isQueryError(err) || sqlState !== undefined) {
    return { name: err.name, message: 'database query failed', sql_state: sqlState ?? 'unknown' }
  }
  return { name: err.name, message: err.message, stack: err.stack }
}

/**
 * The app's one error handler: ApiErrors answer with their status and the JSON envelope; a database that cannot
 * be reached (or is failing over) answers 503 with Retry-After; anything else is logged with the request id and
 * answered with a generic 500 that says nothing about internals.
 */
export function onError(logger: Logger): ErrorHandler<AppEnv> {
  return (err, c) => {
    if (err instanceof ApiError) return errorResponse(c, err)
    if (err instanceof z.core.$ZodError) return errorResponse(c, ApiError.validation(err))
    if (err instanceof HTTPException) {
      const known = fromHttpException(err)
      if (known !== null) return errorResponse(c, known)
    }
    if (isDatabaseUnavailable(err)) {
      // PostgreSQL unreachable or switching primaries (a failover): nothing was wrong with the request, and a
      // retry in a moment can succeed. A write that failed here was not committed.
      logger.warn({ request_id: c.get('requestId'), err: describeUnexpected(err) }, 'database unavailable')
      c.header('Retry-After', '1')
      return errorResponse(c, ApiError.serviceUnavailable('the database is unavailable; retry shortly'))
    }
    logger.error({ request_id: c.get('requestId'), err: describeUnexpected(err) }, 'unhandled error')
    return errorResponse(c, ApiError.internal())
  }
}

export const notFound: NotFoundHandler<AppEnv> = (c) => errorResponse(c, new ApiError('not_found', 'no such endpoint'))
