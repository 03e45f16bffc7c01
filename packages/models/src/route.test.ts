import { describe, expect, it } from 'vitest'
import { methodAuthSchema, routeCreateSchema, routeMethodsSchema, routeUpdateSchema, routeWireSchema } from './route'
import { itRejects, issueLines as messages } from './test-helpers'

const ID = '6f1c2a1e-8a7b-4c1d-9e2f-0a1b2c3d4e5f'

describe('methodAuthSchema', () => {
  it.each([
    [{ auth_required: false, auth_type: null }],
    [{ auth_required: true, auth_type: 'api_key' }],
    [{ auth_required: true, auth_type: 'hmac' }],
    [{ auth_required: true, auth_type: 'hmac', signature_version: 'v2' }],
  ])('accepts %j', (value) => {
    expect(methodAuthSchema.parse(value)).toEqual(value)
  })

  it('treats an omitted auth_type as null', () => {
    expect(methodAuthSchema.parse({ auth_required: false })).toEqual({ auth_required: false, auth_type: null })
  })

  it('leaves signature_version absent by default', () => {
    expect(methodAuthSchema.parse({ auth_required: true, auth_type: 'hmac' })).not.toHaveProperty('signature_version')
  })

  itRejects(methodAuthSchema, [
    [{ auth_required: true, auth_type: null }, 'auth_type: auth_type must be'],
    [{ auth_required: true }, "auth_type: auth_type must be 'api_key' or 'hmac' when auth_required is true"],
    [{ auth_required: false, auth_type: 'api_key' }, 'auth_type: auth_type must be null when auth_required is false'],
    [{ auth_required: false, auth_type: 'hmac' }, 'auth_type: auth_type must be null'],
    [{ auth_required: true, auth_type: 'basic' }, 'auth_type: expected one of api_key, hmac'],
    [{ auth_required: 'true', auth_type: 'hmac' }, 'auth_required:'],
    [{ auth_required: true, auth_type: 'api_key', signature_version: 'v2' }, 'signature_version: signature_version'],
    [{ auth_required: true, auth_type: 'hmac', signature_version: 'v3' }, 'signature_version:'],
  ])
})

describe('routeMethodsSchema', () => {
  it('accepts a methods object and orders its keys canonically', () => {
    const parsed = routeMethodsSchema.parse({
      POST: { auth_required: true, auth_type: 'hmac' },
      GET: { auth_required: false, auth_type: null },
    })
    expect(parsed).toEqual({
      GET: { auth_required: false, auth_type: null },
      POST: { auth_required: true, auth_type: 'hmac' },
    })
    expect(Object.keys(parsed)).toEqual(['GET', 'POST'])
  })

  it('rejects unknown method keys, naming them', () => {
    const result = routeMethodsSchema.safeParse({
      GET: { auth_required: false, auth_type: null },
      get: { auth_required: false, auth_type: null },
      TRACE: { auth_required: false, auth_type: null },
    })
    expect(result.success).toBe(false)
    expect(messages(result).join('\n')).toContain('unknown HTTP methods: get, TRACE')
  })

  it('rejects an empty object', () => {
    const result = routeMethodsSchema.safeParse({})
    expect(messages(result)).toEqual([': at least one HTTP method must be configured'])
  })

  it('reports a bad method entry at its path', () => {
    const result = routeMethodsSchema.safeParse({ PUT: { auth_required: true, auth_type: null } })
    expect(messages(result).join('\n')).toContain('PUT.auth_type: auth_type must be')
  })

  it('rejects arrays and non-objects', () => {
    expect(routeMethodsSchema.safeParse(['GET']).success).toBe(false)
    expect(routeMethodsSchema.safeParse('GET').success).toBe(false)
  })
})

const methods = { GET: { auth_required: true, auth_type: 'api_key' } }

describe('routeCreateSchema', () => {
  it('applies defaults and normalises', () => {
    expect(routeCreateSchema.parse({ route_pattern: '/api/users/*', service_name: '  users ', methods })).toEqual({
      route_pattern: '/api/users/*',
      domain: '*',
      service_name: 'users',
      methods,
    })
  })

  it('lowercases the domain', () => {
    const parsed = routeCreateSchema.parse({
      route_pattern: '/',
      domain: 'API.Example.com',
      service_name: 's',
      methods,
    })
    expect(parsed.domain).toBe('api.example.com')
  })

  itRejects(routeCreateSchema, [
    [{ route_pattern: 'api', service_name: 's', methods }, 'route_pattern:'],
    [{ route_pattern: '/a', service_name: '', methods }, 'service_name: must not be empty'],
    [{ route_pattern: '/a', service_name: '   ', methods }, 'service_name: must not be empty'],
    [{ route_pattern: '/a', service_name: 'x'.repeat(129), methods }, 'service_name: must be at most 128'],
    [{ route_pattern: '/a', service_name: 'a\nb', methods }, 'service_name: must not contain control'],
    [{ route_pattern: '/a', service_name: 's' }, 'methods:'],
    [{ route_pattern: '/a', domain: 'a.com:80', service_name: 's', methods }, 'domain:'],
  ])
})

describe('routeUpdateSchema', () => {
  it('accepts a partial update with a version', () => {
    expect(routeUpdateSchema.parse({ service_name: 'x', version: 3 })).toEqual({ service_name: 'x', version: 3 })
  })

  it('does not default the domain on update', () => {
    expect(routeUpdateSchema.parse({ route_pattern: '/x' })).toEqual({ route_pattern: '/x' })
  })

  it.each([[{}], [{ version: 2 }]])('requires at least one field: %j', (value) => {
    const result = routeUpdateSchema.safeParse(value)
    expect(messages(result).join('\n')).toContain('at least one of route_pattern, domain, service_name, methods')
  })

  it('rejects a non-integer version', () => {
    expect(routeUpdateSchema.safeParse({ service_name: 'x', version: 1.5 }).success).toBe(false)
  })
})

describe('routeWireSchema', () => {
  const wire = {
    route_id: ID,
    route_pattern: '/api/*',
    domain: '*',
    service_name: 'api',
    methods: { GET: { auth_required: false, auth_type: null } },
    created_at: 1_700_000_000,
    updated_at: 1_700_000_100,
  }

  it('accepts the compat shape', () => {
    expect(routeWireSchema.parse(wire)).toEqual(wire)
  })

  it('rejects ISO timestamps (times are epoch seconds)', () => {
    expect(routeWireSchema.safeParse({ ...wire, created_at: '2024-01-01T00:00:00Z' }).success).toBe(false)
    expect(routeWireSchema.safeParse({ ...wire, created_at: 1.5 }).success).toBe(false)
  })

  it('rejects methods outside the HTTP method set', () => {
    expect(routeWireSchema.safeParse({ ...wire, methods: { FETCH: { auth_required: false } } }).success).toBe(false)
  })
})
