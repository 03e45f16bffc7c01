import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { extractCredentials, redactTarget, repeatsKey, targetWithoutParameter } from './credentials'

const HMAC_HEADER = `HMAC client_id="c1",timestamp="1700000000",nonce="n0nce-123",signature="${'ab'.repeat(32)}"`

/** A test per query: it yields no credential but this refusal. */
function itRefuses(kind: 'ambiguous' | 'invalid', cases: [query: string, reason: string][]) {
  it.each(cases)(`%j is ${kind} (%s)`, (query, reason) => {
    expect(extractCredentials(undefined, query)).toEqual({ kind, reason })
  })
}

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
    const v2 = `HMAC version="2",${HMAC_HEADER.slice('HMAC '.length)}`
    expect(extractCredentials(v2, '')).toEqual({ kind: 'hmac', header: v2 })
    const spaced = HMAC_HEADER.replaceAll('",', '", ')
    expect(extractCredentials(spaced, '')).toEqual({ kind: 'hmac', header: spaced })
    // A joined second scheme is two credentials.
    expect(extractCredentials(`${HMAC_HEADER}, Bearer A`, '')).toEqual({
      kind: 'ambiguous',
      reason: 'multiple_authorization_values',
    })
  })

  it('no header and no query is none; an empty or blank header is none', () => {
    expect(extractCredentials(undefined, '')).toEqual({ kind: 'none' })
    expect(extractCredentials('', '')).toEqual({ kind: 'none' })
    expect(extractCredentials('   ', 'a=1&b=2')).toEqual({ kind: 'none' })
  })

  it.each([
    // Hono on node-server joins duplicate headers with ", ".
    'Bearer A, Bearer B',
    'Bearer A, Bearer A',
    'Bearer A,B',
    'keyA, keyB',
    'keyA,keyB',
    'Bearer A, Basic dXNlcjpwdw==',
    `${HMAC_HEADER}, ${HMAC_HEADER}`,
    `${HMAC_HEADER}, ApiKey k`,
    // Inside a value, in the signers' exact form otherwise.
    HMAC_HEADER.replace('client_id="c1"', 'client_id="c1, Bearer A"'),
    HMAC_HEADER.replace('nonce="n0nce-123"', 'nonce="n0nce-123,Bearer A"'),
    `HMAC version="2,Basic x",${HMAC_HEADER.slice('HMAC '.length)}`,
  ])('%j is two credentials (ambiguous)', (header) => {
    expect(extractCredentials(header, '')).toEqual({ kind: 'ambiguous', reason: 'multiple_authorization_values' })
  })

  it('two Authorization header lines are ambiguous, whatever they hold', () => {
    expect(extractCredentials('Bearer A', '', { multipleAuthorization: true })).toEqual({
      kind: 'ambiguous',
      reason: 'multiple_authorization_values',
    })
  })

  it.each([
    [`${HMAC_HEADER},nonce="other-nonce"`, 'duplicate_hmac_parameter'],
    [HMAC_HEADER.replace('nonce="n0nce-123"', 'nonce="a,nonce=b"'), 'duplicate_hmac_parameter'],
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

  it('reads `Bearer <key>` as written exactly as the general reading does (a leading space takes that one)', () => {
    const schemes = fc.constantFrom('Bearer', 'ApiKey', 'bearer', 'APIKEY', 'Basic', 'HMAC')
    const separators = fc.constantFrom(' ', '  ', '\t', '')
    const keys = fc.oneof(
      fc.stringMatching(/^[\x20-\x7e]{0,12}$/),
      fc.integer({ min: 1020, max: 1030 }).map((n) => 'k'.repeat(n)),
    )
    fc.assert(
      fc.property(schemes, separators, keys, (scheme, separator, key) => {
        const value = `${scheme}${separator}${key}`
        expect(extractCredentials(value, '')).toEqual(extractCredentials(` ${value}`, ''))
      }),
    )
  })
})

describe('extractCredentials: ?api_key=', () => {
  it('reads and decodes the value from the raw query, and says where the parameter is', () => {
    expect(extractCredentials(undefined, 'api_key=abc')).toEqual({
      kind: 'api_key',
      key: 'abc',
      source: 'query',
      span: { start: 0, end: 11 },
    })
    expect(extractCredentials(undefined, 'x=1&api_key=a%2Bb%3D&y=2')).toEqual({
      kind: 'api_key',
      key: 'a+b=',
      source: 'query',
      span: { start: 4, end: 20 },
    })
    // An encoded exact name is the same name to every framework: it is the credential.
    expect(extractCredentials(undefined, 'api%5Fkey=abc')).toMatchObject({ kind: 'api_key', key: 'abc' })
  })

  it('ignores other parameters and unrelated bad escapes', () => {
    expect(extractCredentials(undefined, 'xapi_key=1&api_keys=2&apikey=3&q=%zz&api=4&key=5')).toEqual({ kind: 'none' })
    expect(extractCredentials(undefined, 'a=1;b=2&c')).toEqual({ kind: 'none' })
  })

  itRefuses('ambiguous', [
    ['api_key=a&api_key=b', 'multiple_api_key_parameters'],
    ['api_key=a&api_key=a', 'multiple_api_key_parameters'],
    ['api_key=a&api%5Fkey=a', 'multiple_api_key_parameters'],
    ['api_key=&api_key=a', 'multiple_api_key_parameters'],
    // Lookalike names some framework reads as api_key.
    ['API_KEY=b', 'api_key_lookalike_parameter'],
    ['Api_Key=b', 'api_key_lookalike_parameter'],
    ['api_key[]=b', 'api_key_lookalike_parameter'],
    ['api_key%5B%5D=b', 'api_key_lookalike_parameter'],
    ['api_key[0]=b', 'api_key_lookalike_parameter'],
    ['api_key%00=b', 'api_key_lookalike_parameter'],
    ['api_key+=b', 'api_key_lookalike_parameter'],
    ['api.key=b', 'api_key_lookalike_parameter'],
    ['api%2Ekey=b', 'api_key_lookalike_parameter'],
    ['%41PI_KEY=b', 'api_key_lookalike_parameter'],
    ['x=1&API_KEY=b&api_key=a', 'api_key_lookalike_parameter'],
    // `;` separates parameters for some parsers.
    ['x=1;api_key=b', 'api_key_with_semicolon'],
    ['api_key=a;x=1', 'api_key_with_semicolon'],
    ['x;API_KEY=b', 'api_key_with_semicolon'],
  ])

  itRefuses('invalid', [
    ['api_key=', 'empty_credential'],
    ['api_key', 'empty_credential'],
    ['api_key=%zz', 'malformed_credential'],
    ['api_key=%c0%ae', 'malformed_credential'],
    ['api_key=a+b', 'malformed_credential'],
    ['api_key=a%2Cb', 'malformed_credential'],
  ])
})

describe('extractCredentials: more than one place', () => {
  it.each([
    ['Bearer abc', 'api_key=xyz'],
    ['Bearer abc', 'api_key=abc'],
    [HMAC_HEADER, 'api_key=abc'],
    ['Bearer abc', 'api_key='],
  ])('refuses %j with %j (header_and_query_credentials)', (header, query) => {
    expect(extractCredentials(header, query)).toEqual({ kind: 'ambiguous', reason: 'header_and_query_credentials' })
  })

  it('refuses a lookalike parameter next to a header key', () => {
    expect(extractCredentials('Bearer abc', 'API_KEY=xyz')).toEqual({
      kind: 'ambiguous',
      reason: 'api_key_lookalike_parameter',
    })
  })

  it('refuses X-API-Key / Api-Key next to a credential, and ignores it alone', () => {
    const other = { apiKeyHeader: true }
    for (const [header, query] of [
      ['Bearer abc', ''],
      [HMAC_HEADER, ''],
      [undefined, 'api_key=abc'],
      ['Basic x', ''],
    ] as const) {
      expect(extractCredentials(header, query, other)).toEqual({
        kind: 'ambiguous',
        reason: 'api_key_header_with_credential',
      })
    }
    expect(extractCredentials(undefined, 'x=1', other)).toEqual({ kind: 'none' })
  })

  it('an invalid header stays invalid when the query has no credential', () => {
    expect(extractCredentials('Basic x', 'a=1')).toEqual({ kind: 'invalid', reason: 'unsupported_scheme' })
  })

  it('never yields a key with a comma, whitespace or quote, and never throws', () => {
    const unit = fc.constantFrom(...'aB0,= "%+&_;\t'.split(''), 'Bearer ', 'HMAC ', 'api_key=', '%2C', '%20', 'API_KEY')
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

  it('accepts a query key only when no other spelling of api_key is in the query', () => {
    const name = fc.constantFrom('api_key', 'API_KEY', 'api%5Fkey', 'api_key[]', 'api.key', 'x', 'apikey', 'api_key%00')
    const param = fc.tuple(name, fc.constantFrom('k1', 'k2')).map(([n, v]) => `${n}=${v}`)
    fc.assert(
      fc.property(fc.array(param, { maxLength: 4 }), fc.constantFrom('&', ';'), (params, sep) => {
        const query = params.join(sep)
        const c = extractCredentials(undefined, query)
        const names = params.map((p) => p.slice(0, p.indexOf('=')))
        const spellings = names.filter((n) => n !== 'x' && n !== 'apikey')
        if (c.kind === 'api_key') {
          expect(spellings).toHaveLength(1)
          expect(['api_key', 'api%5Fkey']).toContain(spellings[0])
          if (params.length > 1) expect(sep).toBe('&')
        }
        if (spellings.length > 1) expect(c.kind).toBe('ambiguous')
      }),
      { numRuns: 2000 },
    )
  })
})

describe('targetWithoutParameter', () => {
  function strip(target: string): string {
    const q = target.indexOf('?')
    const c = extractCredentials(undefined, target.slice(q + 1))
    if (c.kind !== 'api_key' || c.source !== 'query') throw new Error(`no query key in ${target}`)
    return targetWithoutParameter(target, c.span)
  }

  it.each([
    ['/x?api_key=k', '/x'],
    ['/x?api_key=k&b=2', '/x?b=2'],
    ['/x?a=1&api_key=k', '/x?a=1'],
    ['/x?a=1&api_key=k&b=%2e', '/x?a=1&b=%2e'],
    ['/x?a=1&api%5Fkey=k&b', '/x?a=1&b'],
    ['/x?api_key=k&', '/x?'],
    ['/caf%C3%A9/?&api_key=k', '/caf%C3%A9/?'],
  ])('%s -> %s', (target, expected) => {
    expect(strip(target)).toBe(expected)
  })
})

describe('redactTarget', () => {
  it('replaces the value of api_key and its lookalikes, and nothing else', () => {
    expect(redactTarget('/x?a=1&api_key=SECRET&b=2')).toBe('/x?a=1&api_key=[redacted]&b=2')
    expect(redactTarget('/x?API_KEY=S1;api_key=S2&api%5Fkey=S3')).toBe(
      '/x?API_KEY=[redacted];api_key=[redacted]&api%5Fkey=[redacted]',
    )
    expect(redactTarget('/x/../y?q=api')).toBe('/x/../y?q=api')
    expect(redactTarget('/x')).toBe('/x')
  })
})

describe('repeatsKey: the consumed key again under another name', () => {
  const key = 'gk_repeated0000000000000000000000000000000000000000'
  it.each([
    [`/k?apikey=${key}`, `Bearer ${key}`],
    [`/k?api-key=${key}&x=1`, `Bearer ${key}`],
    [`/k?api_key.=${encodeURIComponent(key).replace('_', '%5F')}`, `ApiKey ${key}`],
    [`/k/${key}`, `Bearer ${key}`],
    [`/k?api-key=${key}&api_key=${key}`, undefined],
  ])('%s (Authorization %s) repeats it', (target, authorization) => {
    const q = target.indexOf('?')
    const credentials = extractCredentials(authorization, q < 0 ? '' : target.slice(q + 1))
    expect(credentials.kind).toBe('api_key')
    expect(repeatsKey(target, credentials)).toBe(true)
  })

  it.each([
    [`/k?a=1&api_key=${key}&b=2`, undefined],
    ['/k?apikey=someone-else', `Bearer ${key}`],
    ['/k', `Bearer ${key}`],
  ])('%s (Authorization %s) does not', (target, authorization) => {
    const q = target.indexOf('?')
    expect(repeatsKey(target, extractCredentials(authorization, q < 0 ? '' : target.slice(q + 1)))).toBe(false)
  })

  it('finds the key in a target without escapes exactly where a form decoding of it would (`+` included)', () => {
    const decoded = (s: string) => s.replaceAll('+', ' ')
    const keys = fc.stringMatching(/^[a-z+_]{1,6}$/)
    const targets = fc.stringMatching(/^\/[a-z+_ &=?]{0,24}$/)
    fc.assert(
      fc.property(keys, targets, (k, target) => {
        const credentials = { kind: 'api_key' as const, key: k, source: 'header' as const }
        expect(repeatsKey(target, credentials)).toBe(target.includes(k) || decoded(target).includes(k))
      }),
    )
  })

  it('reads a space in the name as `_`, as PHP does: api+key and api%20key are lookalikes', () => {
    for (const name of ['api+key', 'api%20key', 'API+KEY']) {
      expect(extractCredentials(`Bearer ${key}`, `${name}=other`)).toEqual({
        kind: 'ambiguous',
        reason: 'api_key_lookalike_parameter',
      })
    }
  })
})
