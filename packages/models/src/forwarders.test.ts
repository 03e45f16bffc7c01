import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { parseEnv } from './env-parse'
import { parseTrustedForwarders, trustedForwardersVar } from './forwarders'

describe('parseTrustedForwarders', () => {
  it('accepts addresses and CIDR ranges of both families', () => {
    expect(parseTrustedForwarders(' 203.0.113.10, 10.0.0.0/8 ,::1,2001:db8::/32,')).toEqual([
      '203.0.113.10',
      '10.0.0.0/8',
      '::1',
      '2001:db8::/32',
    ])
  })

  it('is empty when unset', () => {
    expect(parseTrustedForwarders(undefined)).toEqual([])
    expect(parseTrustedForwarders('')).toEqual([])
  })

  it.each([
    ['203.0.113.10,gateway.local', "'gateway.local' is not an IP address or CIDR range"],
    ['300.1.1.1', "'300.1.1.1' is not an IP address"],
    ['10.0.0.0/33', "'10.0.0.0/33' has an invalid prefix length (expected 0-32)"],
    ['::/129', 'expected 0-128'],
    ['10.0.0.0/', 'invalid prefix length'],
    ['10.0.0.0/8/8', 'invalid prefix length'],
  ])('rejects %j naming the entry', (value, expected) => {
    expect(() => parseTrustedForwarders(value)).toThrow(expected)
  })

  it('reports through parseEnv with the variable name', () => {
    const schema = z.object({ TRUSTED_FORWARDER_IPS: trustedForwardersVar() })
    expect(parseEnv(schema, { TRUSTED_FORWARDER_IPS: '10.0.0.1' }, 'authz').TRUSTED_FORWARDER_IPS).toEqual(['10.0.0.1'])
    expect(() => parseEnv(schema, { TRUSTED_FORWARDER_IPS: '10.0.0.1,nope' }, 'authz')).toThrow(
      "authz: invalid environment:\n  TRUSTED_FORWARDER_IPS: 'nope' is not an IP address or CIDR range",
    )
  })
})
