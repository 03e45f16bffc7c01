import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { extractCredentials } from './credentials'

const HMAC_HEADER = `HMAC client_id="c1",timestamp="1700000000",nonce="n0nce-123",signature="${'ab'.repeat(32)}"`

describe('extractCredentials: Authorization header', () => {
  it.each([
    ['Bearer abc123', 'abc123'],
    ['bearer abc123', 'abc123'],
    ['ApiKey abc123', 'abc123'],
    ['APIKEY abc123', 'abc123'],
    ['abc123', 'abc123'],
    ['  Bearer   abc123  ', 'abc123'],
  ])('%j carries API key %j', (header, key) => {
    expect(extractCredentials(header, '')).toEqual({ kind: 'api_key', key, source: 'header' })
  })

  it('passes an HMAC header through whole for the HMAC parser', () => {
    expect(extractCredentials(HMAC_HEADER, '')).toEqual({ kind: 'hmac', header: HMAC_HEADER })
    // Trailing junk such as a joined second scheme is left to the strict HMAC parser (decide.test: a 401).
    expect(extractCredentials(`${HMAC_HEADER}, Bearer A`, '').kind).toBe('hmac')
  })

  it('no header and no query is none; an empty or blank header is none', () => {
    expect(extractCredentials(undefined, '')).toEqual({ kind: 'none' })
    expect(extractCredentials('', '')).toEqual({ kind: 'none' })
    expect(extractCredentials('   ', 'a=1&b=2')).toEqual({ kind: 'none' })
  })

  it.each([
    // Hono on node-server joins duplicate headers with ", ".
    ['Bearer A, Bearer B', 'multiple_authorization_values'],
    ['Bearer A, Bearer A', 'multiple_authorization_values'],
    ['Bearer A,B', 'multiple_authorization_values'],
    ['keyA, keyB', 'multiple_authorization_values'],
    ['keyA,keyB', 'multiple_authorization_values'],
    ['Bearer A, Basic dXNlcjpwdw==', 'multiple_authorization_values'],
    [`${HMAC_HEADER}, ${HMAC_HEADER}`, 'multiple_authorization_values'],
    [`${HMAC_HEADER},nonce="other-nonce"`, 'duplicate_hmac_parameter'],
    ['Basic dXNlcjpwdw==', 'unsupported_scheme'],
    ['Digest username="x"', 'unsupported_scheme'],
    ['Bearer', 'empty_credential'],
    ['HMAC', 'empty_credential'],
    ['Bearer a b', 'malformed_credential'],
    ['Bearer "quoted"', 'malformed_credential'],
    [`Bearer ${'k'.repeat(1025)}`, 'malformed_credential'],
    ['k\u00e9y', 'malformed_credential'],
  ])('%j is invalid (%s)', (header, reason) => {
    expect(extractCredentials(header, '')).toEqual({ kind: 'invalid', reason })
  })
})

describe('extractCredentials: ?api_key=', () => {
  it('reads and decodes the value from the raw query', () => {
    expect(extractCredentials(undefined, 'api_key=abc')).toEqual({ kind: 'api_key', key: 'abc', source: 'query' })
    expect(extractCredentials(undefined, 'x=1&api_key=a%2Bb%3D&y=2')).toEqual({
      kind: 'api_key',
      key: 'a+b=',
      source: 'query',
    })
    // The name is compared decoded, as the upstream's framework would decode it.
    expect(extractCredentials(undefined, 'api%5Fkey=abc')).toEqual({ kind: 'api_key', key: 'abc', source: 'query' })
  })

  it('ignores other parameters, lookalike names and unrelated bad escapes', () => {
    expect(extractCredentials(undefined, 'xapi_key=1&api_keys=2&API_KEY=3&q=%zz')).toEqual({ kind: 'none' })
  })

  it.each([
    ['api_key=a&api_key=b', 'multiple_api_key_parameters'],
    ['api_key=a&api_key=a', 'multiple_api_key_parameters'],
    ['api_key=a&api%5Fkey=a', 'multiple_api_key_parameters'],
    ['api_key=', 'empty_credential'],
    ['api_key', 'empty_credential'],
    ['api_key=%zz', 'malformed_credential'],
    ['api_key=%c0%ae', 'malformed_credential'],
    ['api_key=a+b', 'malformed_credential'],
    ['api_key=a%2Cb', 'malformed_credential'],
  ])('%j is invalid (%s)', (query, reason) => {
    expect(extractCredentials(undefined, query)).toEqual({ kind: 'invalid', reason })
  })
})

describe('extractCredentials: header and query together', () => {
  it('accepts the same key in both (reported as the header one)', () => {
    expect(extractCredentials('Bearer abc', 'api_key=abc')).toEqual({ kind: 'api_key', key: 'abc', source: 'header' })
  })

  it.each([
    ['Bearer abc', 'api_key=xyz'],
    [HMAC_HEADER, 'api_key=abc'],
    ['Bearer abc', 'api_key=abc&api_key=abc'],
  ])('refuses %j with %j', (header, query) => {
    expect(extractCredentials(header, query).kind).toBe('invalid')
  })

  it('an invalid header stays invalid whatever the query says', () => {
    expect(extractCredentials('Basic x', 'api_key=abc')).toEqual({ kind: 'invalid', reason: 'unsupported_scheme' })
  })

  it('never yields a key with a comma, whitespace or quote, and never throws', () => {
    const unit = fc.constantFrom(...'aB0,= "%+&_\t'.split(''), 'Bearer ', 'HMAC ', 'api_key=', '%2C', '%20')
    fc.assert(
      fc.property(
        fc.option(fc.string({ unit, maxLength: 20 })),
        fc.string({ unit, maxLength: 20 }),
        (header, query) => {
          const c = extractCredentials(header ?? undefined, query)
          if (c.kind === 'api_key') expect(c.key).toMatch(/^[\x21\x23-\x2b\x2d-\x7e]+$/)
        },
      ),
      { numRuns: 3000 },
    )
  })
})
