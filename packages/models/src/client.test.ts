import { describe, expect, it } from 'vitest'
import {
  clientCreatedWireSchema,
  clientCreateSchema,
  clientUpdateSchema,
  clientWireSchema,
  rotateCredentialSchema,
} from './client'
import { issueLines, itRejects } from './test-helpers'

const ID = '6f1c2a1e-8a7b-4c1d-9e2f-0a1b2c3d4e5f'

describe('clientCreateSchema', () => {
  it('defaults status to active and unrequested credentials to false', () => {
    expect(clientCreateSchema.parse({ client_name: ' billing ', api_key: true })).toEqual({
      client_name: 'billing',
      status: 'active',
      api_key: true,
      shared_secret: false,
    })
  })

  it('accepts both credentials and an explicit status', () => {
    const parsed = clientCreateSchema.parse({
      client_name: 'x',
      status: 'suspended',
      api_key: true,
      shared_secret: true,
    })
    expect(parsed).toMatchObject({ status: 'suspended', api_key: true, shared_secret: true })
  })

  it.each([[{ client_name: 'x' }], [{ client_name: 'x', api_key: false, shared_secret: false }]])(
    'requires at least one credential: %j',
    (value) => {
      expect(issueLines(clientCreateSchema.safeParse(value))).toEqual([
        ': request at least one credential: set api_key and/or shared_secret to true',
      ])
    },
  )

  itRejects(clientCreateSchema, [
    [{ client_name: '', api_key: true }, 'client_name: must not be empty'],
    [{ client_name: 'x'.repeat(201), api_key: true }, 'client_name: must be at most 200'],
    [{ client_name: 'a\u0007b', api_key: true }, 'client_name: must not contain control characters'],
    [{ client_name: 'x', api_key: 'yes' }, 'api_key:'],
    [{ client_name: 'x', api_key: true, status: 'deleted' }, 'status: expected one of active, suspended, revoked'],
  ])
})

describe('clientUpdateSchema', () => {
  it('accepts a status change with a version', () => {
    expect(clientUpdateSchema.parse({ status: 'revoked', version: 4 })).toEqual({ status: 'revoked', version: 4 })
  })

  it.each([[{}], [{ version: 1 }]])('requires a name or status: %j', (value) => {
    expect(issueLines(clientUpdateSchema.safeParse(value))).toEqual([
      ': at least one of client_name, status, expires_at, api_key_expires_at, shared_secret_expires_at, ip_allowlist, metadata is required',
    ])
  })

  it('takes an IP allowlist of IPv4/IPv6 addresses and CIDRs, or null to clear it', () => {
    const list = ['10.0.0.0/8', '203.0.113.7', '2001:db8::/32', '::ffff:192.0.2.0/120']
    expect(clientUpdateSchema.parse({ ip_allowlist: list })).toEqual({ ip_allowlist: list })
    expect(clientUpdateSchema.parse({ ip_allowlist: null })).toEqual({ ip_allowlist: null })
  })

  it.each([
    [['10.0.0.0/33'], 'ip_allowlist.0'],
    [['10.0.0.1', '300.1.1.1'], 'ip_allowlist.1'],
    [['2001:db8::/129'], 'ip_allowlist.0'],
    [['example.com'], 'ip_allowlist.0'],
  ])('refuses a bad allowlist entry: %j', (list, path) => {
    const lines = issueLines(clientUpdateSchema.safeParse({ ip_allowlist: list }))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(new RegExp(`^${path.replace('.', '\\.')}: not an IPv4/IPv6 address or CIDR`))
  })

  it('refuses an empty allowlist (it would refuse everything) and an oversized one', () => {
    expect(issueLines(clientUpdateSchema.safeParse({ ip_allowlist: [] }))[0]).toMatch(/send null to clear it/)
    const many = Array.from({ length: 101 }, (_, i) => `10.0.${i}.0/24`)
    expect(issueLines(clientUpdateSchema.safeParse({ ip_allowlist: many }))[0]).toMatch(/at most 100 entries/)
  })
})

describe('rotateCredentialSchema', () => {
  it('defaults grace_seconds to 0', () => {
    expect(rotateCredentialSchema.parse({ credential: 'api_key' })).toEqual({ credential: 'api_key', grace_seconds: 0 })
  })

  it('accepts 30 days of grace', () => {
    expect(rotateCredentialSchema.parse({ credential: 'shared_secret', grace_seconds: 2_592_000 }).grace_seconds).toBe(
      2_592_000,
    )
  })

  itRejects(rotateCredentialSchema, [
    [{ credential: 'password' }, 'credential: expected one of api_key, shared_secret'],
    [{ credential: 'api_key', grace_seconds: 2_592_001 }, 'grace_seconds: must be at most 2592000'],
    [{ credential: 'api_key', grace_seconds: -1 }, 'grace_seconds: must not be negative'],
    [{ credential: 'api_key', grace_seconds: 1.5 }, 'grace_seconds: must be an integer'],
  ])
})

describe('client wire schemas', () => {
  const wire = {
    client_id: ID,
    client_name: 'billing',
    status: 'active',
    api_key_masked: 'gk_live_…2345',
    created_at: 1_700_000_000,
    updated_at: 1_700_000_000,
  }

  it('accepts the compat shape, and the additive fields', () => {
    expect(clientWireSchema.parse(wire)).toEqual(wire)
    const extended = { ...wire, api_key_masked: null, has_shared_secret: true, version: 2 }
    expect(clientWireSchema.parse(extended)).toEqual(extended)
  })

  it('does not carry raw credentials on the read shape', () => {
    expect(clientWireSchema.parse({ ...wire, api_key: 'secret', shared_secret: 's' })).not.toHaveProperty('api_key')
  })

  it('carries raw credentials on the created shape', () => {
    expect(clientCreatedWireSchema.parse({ ...wire, api_key: 'k', shared_secret: 's' })).toMatchObject({
      api_key: 'k',
      shared_secret: 's',
    })
  })

  it('rejects an unknown status or a missing api_key_masked', () => {
    expect(clientWireSchema.safeParse({ ...wire, status: 'deleted' }).success).toBe(false)
    const { api_key_masked: _omitted, ...withoutMask } = wire
    expect(clientWireSchema.safeParse(withoutMask).success).toBe(false)
  })
})
