import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MALFORMED_TARGET, MAX_URI_LENGTH, normalizePath, normalizePathByScan } from './normalize-path'

function pathOf(raw: string): string {
  const r = normalizePath(raw)
  if (!r.ok) throw new Error(`expected ${JSON.stringify(raw)} to normalise, got ${r.reason}`)
  return r.path
}

function reasonOf(raw: string): string {
  const r = normalizePath(raw)
  if (r.ok) throw new Error(`expected ${JSON.stringify(raw)} to be refused, got ${r.path}`)
  return r.reason
}

/** A test per request target: normalizePath refuses it, for this reason. */
function itRefuses(cases: [raw: string, reason: string][]): void {
  it.each(cases)('%j is refused (%s)', (raw, reason) => {
    expect(reasonOf(raw)).toBe(reason)
  })
}

describe('normalizePath: one interpretation only', () => {
  itRefuses([
    // Dot segments in every spelling: nginx resolves them, Flask/Werkzeug routes them raw, Hono resolves after
    // empty segments differently. Nothing is resolved: they are refused.
    ['/a/b/../c', 'dot_segment'],
    ['/a/%2e%2e/c', 'dot_segment'],
    ['/a/.%2e/c', 'dot_segment'],
    ['/a/.%2E/c', 'dot_segment'],
    ['/a/%2E%2E/c', 'dot_segment'],
    ['/a/%2e./c', 'dot_segment'],
    ['/a/./b', 'dot_segment'],
    ['/a/%2e/b', 'dot_segment'],
    ['/a/b/.', 'dot_segment'],
    ['/a/b/..', 'dot_segment'],
    ['/..', 'dot_segment'],
    ['/%2e%2e', 'dot_segment'],
    ['/../a', 'dot_segment'],
    ['/secret/x/../../pub/y', 'dot_segment'],
    // Empty segments: nginx merges them, RFC 3986 resolution does not.
    ['/a//b', 'empty_segment'],
    ['//a', 'empty_segment'],
    ['/a/b//', 'empty_segment'],
    ['/secret//../pub/x', 'empty_segment'],
    // Path parameters: servlet containers strip them, others keep them.
    ['/a;/../c', 'path_parameter'],
    ['/a/b/..;/c', 'path_parameter'],
    ['/..;x/', 'path_parameter'],
    ['/a/.hidden;v=1', 'path_parameter'],
    ['/secret;jsessionid=x/y', 'path_parameter'],
    ['/a%3bb', 'path_parameter'],
    ['/a%3Bb', 'path_parameter'],
    ['/a/%2e%2e;x/b', 'path_parameter'],
    // Encoded separators and backslashes.
    ['/a/..%2Fc', 'encoded_slash'],
    ['/a/%2fc', 'encoded_slash'],
    ['/a/..%5Cc', 'backslash'],
    ['/a/..\\c', 'backslash'],
    // Double encoding (an upstream that decodes twice reads another path).
    ['/a/%252e%252e/c', 'double_encoding'],
    ['/a/%252f/b', 'double_encoding'],
    ['/%2541', 'double_encoding'],
    ['/a/%2500/b', 'double_encoding'],
    // Overlong UTF-8 and other invalid UTF-8.
    ['/a/%c0%ae%c0%ae/c', 'invalid_utf8'],
    ['/a/%e0%80%ae/c', 'invalid_utf8'],
    ['/%ff', 'invalid_utf8'],
    ['/%ed%a0%80', 'invalid_utf8'],
    // Percent-encoded unreserved characters: equal to the literal by RFC 3986, decoded by some frameworks only.
    ['/%41bc', 'encoded_unreserved'],
    ['/%73ecret/x', 'encoded_unreserved'],
    ['/a%7e', 'encoded_unreserved'],
    ['/a%2Db', 'encoded_unreserved'],
    ['/a%5fb', 'encoded_unreserved'],
    ['/pub%2e/x', 'encoded_unreserved'],
    ['/a%2e%2e', 'encoded_unreserved'],
    // Dot-only segments: dot segments to Windows-style servers.
    ['/a/...', 'ambiguous_dot_segment'],
    ['/a/..%20/b', 'ambiguous_dot_segment'],
    // Raw bytes >= 0x80 (latin1 characters in node header strings): read as UTF-8 by some, latin1 by others.
    ['/caf\u00c3\u00a9', 'non_ascii_byte'],
    ['/\u00e9', 'non_ascii_byte'],
    // Control characters, raw or encoded.
    ['/a%00b', 'control_character'],
    ['/a/%zz', 'invalid_percent_encoding'],
    ['/a/%u002e', 'invalid_percent_encoding'],
  ])

  it('only too long and non-path targets are malformed (bad_request); the rest are ambiguous', () => {
    expect(MALFORMED_TARGET.has('too_long')).toBe(true)
    expect(MALFORMED_TARGET.has('not_absolute_path')).toBe(true)
    expect(MALFORMED_TARGET.has('dot_segment')).toBe(false)
    expect(MALFORMED_TARGET.has('control_character')).toBe(false)
  })

  it('keeps dots that are not a segment of their own', () => {
    expect(pathOf('/api../admin')).toBe('/api../admin')
    expect(pathOf('/a.b/c..d/e.')).toBe('/a.b/c..d/e.')
    expect(pathOf('/.well-known/openid-configuration')).toBe('/.well-known/openid-configuration')
  })
})

describe('normalizePath: shape of the input', () => {
  it('splits the query off and leaves it raw', () => {
    expect(normalizePath('/a/b?x=%2e%2e&y=1;z')).toEqual({ ok: true, path: '/a/b', query: 'x=%2e%2e&y=1;z' })
    expect(normalizePath('/a?')).toEqual({ ok: true, path: '/a', query: '' })
    expect(normalizePath('/')).toEqual({ ok: true, path: '/', query: '' })
  })

  it('returns a canonical path unchanged', () => {
    for (const raw of [
      '/api/v1/orders/ABC-123',
      '/api/users/42/x-y_z~a.json',
      '/a/b/',
      "/a:b@c!$&'()*+,=",
      '/caf%C3%A9',
      '/a%20b',
      '/a%25b',
      '/a%3Fb%23c',
    ]) {
      expect(normalizePath(`${raw}?q=1`)).toEqual({ ok: true, path: raw, query: 'q=1' })
    }
  })

  itRefuses([
    ['', 'not_absolute_path'],
    ['api/x', 'not_absolute_path'],
    ['http://h/x', 'not_absolute_path'],
    ['*', 'not_absolute_path'],
    ['%2Fa', 'not_absolute_path'],
    ['/a#frag', 'fragment'],
    ['/a?x#frag', 'fragment'],
    ['/a b', 'invalid_character'],
    ['/a?b c', 'invalid_character'],
    ['/a\tb', 'control_character'],
    ['/a\x7fb', 'control_character'],
    ['/a?b\nc', 'control_character'],
    ['/a%0d%0aSet-Cookie:x', 'control_character'],
    ['/a%1f', 'control_character'],
    ['/a%7F', 'control_character'],
    ['/a%4', 'invalid_percent_encoding'],
    ['/a%', 'invalid_percent_encoding'],
    ['/a%%41', 'invalid_percent_encoding'],
    ['/\u20ac', 'invalid_character'],
  ])

  it('refuses a request target longer than 8 KiB, accepts one of exactly 8 KiB', () => {
    const exactly = `/${'a'.repeat(MAX_URI_LENGTH - 1)}`
    expect(pathOf(exactly)).toBe(exactly)
    expect(reasonOf(`${exactly}a`)).toBe('too_long')
    expect(reasonOf(`/a?${'b'.repeat(MAX_URI_LENGTH)}`)).toBe('too_long')
  })

  it('decides on the canonical form: hex in upper case, encoded reserved characters decoded', () => {
    expect(pathOf('/caf%c3%a9')).toBe('/caf%C3%A9')
    expect(pathOf('/users/a%40b.com')).toBe('/users/a@b.com')
    expect(pathOf('/a%3ab')).toBe('/a:b')
    // A decoded `%` is carried as %25 and never decoded again.
    expect(pathOf('/a%25b')).toBe('/a%25b')
    expect(pathOf('/a%25')).toBe('/a%25')
    expect(pathOf('/a%3Fb')).toBe('/a%3Fb')
    expect(pathOf('/a%7B%7D')).toBe('/a{}')
  })
})

// ---- properties ----------------------------------------------------------------------------------------------

const SEGMENTS = [
  'a',
  'b',
  'admin',
  'public',
  '.',
  '..',
  '%2e',
  '%2E',
  '.%2e',
  '%2e.',
  '%2e%2e',
  '',
  '%2f',
  '%5c',
  '\\',
  '%25',
  '%252e',
  '%41',
  '%c3%a9',
  '%c0%ae',
  ';',
  '..;',
  'a;b',
  '%3b',
  '~',
  '%20',
  '%',
  '%g1',
  '%00',
  '*',
  '...',
  '.x',
  'x.',
  '%2541',
]

const rawPath = fc
  .tuple(fc.array(fc.constantFrom(...SEGMENTS), { maxLength: 8 }), fc.option(fc.constantFrom('a=1', '', 'x=%2e')))
  .map(([segs, query]) => `/${segs.join('/')}${query === null ? '' : `?${query}`}`)

describe('normalizePath properties', () => {
  it('answers exactly as the character-by-character scan, on structured and on arbitrary input', () => {
    const anyText = fc.string({
      unit: fc.constantFrom(
        '/',
        '.',
        '?',
        '#',
        '%',
        '\\',
        ' ',
        'a',
        '2',
        'e',
        'F',
        '\u0000',
        '\u007f',
        '\u00e9',
        '\u0100',
        '\ud800',
        '=',
        '&',
        ';',
        'A',
        '~',
      ),
      maxLength: 24,
    })
    fc.assert(
      fc.property(
        fc.oneof(
          rawPath,
          anyText,
          anyText.map((t) => `/${t}`),
        ),
        (raw) => {
          expect(normalizePath(raw)).toEqual(normalizePathByScan(raw))
        },
      ),
      { numRuns: 20000 },
    )
    for (const raw of [
      '/',
      '/a',
      '/a/',
      '/a?',
      '/a?b=%2F&c',
      '/a?\u00e9',
      '/a?\u0100',
      '/.well-known',
      '/a//b',
      '/a\\b',
    ]) {
      expect(normalizePath(raw)).toEqual(normalizePathByScan(raw))
    }
  })

  it('is idempotent', () => {
    fc.assert(
      fc.property(rawPath, (raw) => {
        const once = normalizePath(raw)
        if (!once.ok) return
        expect(normalizePath(once.path)).toEqual({ ok: true, path: once.path, query: '' })
      }),
      { numRuns: 3000 },
    )
  })

  it('accepts only paths with one reading: no dot or empty segment, no `;`, no encoded unreserved character', () => {
    fc.assert(
      fc.property(rawPath, (raw) => {
        const r = normalizePath(raw)
        if (!r.ok) return
        const q = raw.indexOf('?')
        const rawPath = q < 0 ? raw : raw.slice(0, q)
        // The decided path is the raw one up to hex case and decoded reserved characters: same segments.
        expect(r.path.split('/').length).toBe(rawPath.split('/').length)
        expect(decodeURIComponent(r.path)).toBe(decodeURIComponent(rawPath))
        expect(rawPath).not.toMatch(/;|%3b|\/\/|%(?:[46][1-9a-f]|[57][0-9a]|3[0-9]|2[de]|5f|7e)/i)
        expect(r.path).toMatch(/^[\x21-\x7e]+$/)
        const segments = decodeURIComponent(rawPath).slice(1).split('/')
        segments.forEach((seg, i) => {
          expect(seg === '.' || seg === '..').toBe(false)
          if (i < segments.length - 1) expect(seg).not.toBe('')
        })
      }),
      { numRuns: 3000 },
    )
  })

  it('accepts every path built from plain segments, with or without a trailing slash', () => {
    const plain = fc.stringMatching(/^[A-Za-z0-9_~-][A-Za-z0-9._~!$&'()*+,=:@-]{0,8}$/)
    fc.assert(
      fc.property(fc.array(plain, { minLength: 1, maxLength: 6 }), fc.boolean(), (segs, slash) => {
        const raw = `/${segs.join('/')}${slash ? '/' : ''}`
        expect(normalizePath(raw)).toEqual({ ok: true, path: raw, query: '' })
      }),
      { numRuns: 2000 },
    )
  })

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (s) => {
        const r = normalizePath(`/${s}`)
        expect(typeof r.ok).toBe('boolean')
      }),
      { numRuns: 3000 },
    )
  })
})
