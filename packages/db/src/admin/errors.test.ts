import { ApiError } from '@gatekeeper/models'
import { describe, expect, it } from 'vitest'
import { AdminDatabaseError, parseId, toApiError } from './errors'

/** What drizzle throws: a wrapper whose message quotes the query and its parameters, the pg error as cause. */
function drizzleError(fields: Record<string, unknown>): Error {
  const cause = Object.assign(new Error(String(fields.message ?? 'pg error')), fields)
  return Object.assign(new Error('Failed query: insert into "client_credentials" ... params: abc123digest'), { cause })
}

describe('toApiError', () => {
  it('maps unique violations to 409 with our own words', () => {
    const err = toApiError(
      drizzleError({
        code: '23505',
        constraint: 'client_credentials_api_key_digest_key',
        detail: 'Key (api_key_digest)=(abc123digest) already exists.',
      }),
    )
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ status: 409, message: 'this API key is already in use' })
    expect(toApiError(drizzleError({ code: '23505', constraint: 'something_new' }))).toMatchObject({ status: 409 })
  })

  it('maps foreign-key violations to a 404 of the referenced entity', () => {
    expect(
      toApiError(drizzleError({ code: '23503', constraint: 'client_permissions_route_id_routes_id_fk' })),
    ).toMatchObject({ status: 404, message: 'route not found' })
    expect(
      toApiError(drizzleError({ code: '23503', constraint: 'rate_limits_client_id_clients_id_fk' })),
    ).toMatchObject({ status: 404, message: 'client not found' })
  })

  it('maps check violations to 400, naming the field when known', () => {
    expect(toApiError(drizzleError({ code: '23514', constraint: 'routes_domain_check' }))).toMatchObject({
      status: 400,
      code: 'validation_error',
      details: [{ path: 'domain', message: 'value is not allowed' }],
    })
    expect(toApiError(drizzleError({ code: '23514', constraint: 'x' }))).toMatchObject({ status: 400 })
  })

  it('keeps other database errors out of responses and drops the query, params and detail', () => {
    const err = toApiError(drizzleError({ code: '40P01', message: 'deadlock detected', detail: 'secret detail' }))
    expect(err).toBeInstanceOf(AdminDatabaseError)
    expect(err).toMatchObject({ sqlState: '40P01', message: 'database error 40P01: deadlock detected' })
    expect(JSON.stringify(err)).not.toMatch(/abc123digest|secret detail/)
    expect(ApiError.from(err)).toMatchObject({ status: 500, message: 'internal error' })
  })

  it('passes ApiErrors and non-database errors through', () => {
    const api = ApiError.notFound('route')
    expect(toApiError(api)).toBe(api)
    const plain = new TypeError('bug')
    expect(toApiError(plain)).toBe(plain)
  })
})

describe('parseId', () => {
  it('lowercases a UUID and 404s anything else', () => {
    expect(parseId('0A1B2C3D-0000-4000-8000-000000000000', 'client')).toBe('0a1b2c3d-0000-4000-8000-000000000000')
    expect(() => parseId("1' or '1'='1", 'client')).toThrow('client not found')
    expect(() => parseId(undefined, 'route')).toThrow('route not found')
  })
})
