import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ApiError, ERROR_STATUS, ErrorCode, errorEnvelope, zodIssuesToDetails } from './errors'
import { routeCreateSchema } from './route'

function zodErrorOf(schema: z.ZodType, value: unknown): z.ZodError {
  const result = schema.safeParse(value)
  if (result.success) throw new Error('expected a parse failure')
  return result.error
}

describe('ApiError', () => {
  it('carries the code and its HTTP status', () => {
    const err = ApiError.notFound('client')
    expect(err).toBeInstanceOf(Error)
    expect(err.code).toBe('not_found')
    expect(err.status).toBe(404)
    expect(err.message).toBe('client not found')
  })

  it('maps every code to a status', () => {
    for (const code of Object.values(ErrorCode)) expect(ERROR_STATUS[code]).toBeGreaterThanOrEqual(400)
    expect(ERROR_STATUS.precondition_failed).toBe(412)
    expect(ERROR_STATUS.not_configured).toBe(503)
  })

  it('turns a zod error into field-level details', () => {
    const err = ApiError.validation(
      zodErrorOf(routeCreateSchema, {
        route_pattern: '/a//b',
        service_name: 's',
        methods: { GET: { auth_required: true, auth_type: null } },
      }),
    )
    expect(err.status).toBe(400)
    expect(err.details).toEqual([
      { path: 'route_pattern', message: "must not contain empty segments ('//')" },
      { path: 'methods.GET.auth_type', message: "auth_type must be 'api_key' or 'hmac' when auth_required is true" },
    ])
    expect(err.message).toContain("route_pattern: must not contain empty segments ('//')")
  })

  it('hides the text of unknown errors', () => {
    const err = ApiError.from(new Error('connection to 10.0.0.5:5432 refused, password=hunter2'))
    expect(err.code).toBe('internal_error')
    expect(err.message).toBe('internal error')
  })

  it('passes ApiErrors through and converts zod errors', () => {
    const conflict = ApiError.conflict('route already exists')
    expect(ApiError.from(conflict)).toBe(conflict)
    expect(ApiError.from(zodErrorOf(z.string(), 1)).code).toBe('validation_error')
  })
})

describe('errorEnvelope', () => {
  it('has the compat shape: code is the HTTP status, error the short key', () => {
    expect(errorEnvelope(ApiError.forbidden('not a console admin'))).toEqual({
      code: 403,
      status: 'forbidden',
      message: 'not a console admin',
      error: 'forbidden',
    })
    expect(errorEnvelope(ApiError.notConfigured('AEGIS_API_URL'))).toEqual({
      code: 503,
      status: 'unavailable',
      message: 'AEGIS_API_URL is not configured',
      error: 'not_configured',
    })
  })

  it('uses the generic status word for validation errors and includes details', () => {
    const envelope = errorEnvelope(ApiError.validation(zodErrorOf(z.object({ a: z.string() }), {})))
    expect(envelope.code).toBe(400)
    expect(envelope.status).toBe('error')
    expect(envelope.error).toBe('validation_error')
    expect(envelope.details?.[0]?.path).toBe('a')
  })
})

describe('zodIssuesToDetails', () => {
  it('joins nested paths with dots, array indexes included', () => {
    const error = zodErrorOf(z.object({ list: z.array(z.number()) }), { list: [1, 'x'] })
    expect(zodIssuesToDetails(error).map((d) => d.path)).toEqual(['list.1'])
  })
})
