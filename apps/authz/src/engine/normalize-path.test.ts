import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MAX_URI_LENGTH, normalizePath, normalizePathByScan } from './normalize-path'
import { referenceNormalize as reference } from './testing'

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

describe('normalizePath: the nginx facts of toolchain.md', () => {
  it.each([
    ['/a/b/../c', '/a/c'],
    ['/a/%2e%2e/c', '/c'],
    ['/a/.%2e/c', '/c'],
    ['/a/%2E%2E/c', '/c'],
    ['/a//b///c', '/a/b/c'],
    ['/a/./b', '/a/b'],
    ['/a;/../c', '/c'],
    ['/a/b/.', '/a/b/'],
    ['/a/b/..', '/a/'],
  ])('%s -> %s (as nginx builds $uri)', (raw, expected) => {
    expect(pathOf(raw)).toBe(expected)
  })

  it.each([
    // nginx decodes these and resolves across them; we refuse (an upstream may split on them or not).
    ['/a/..%2Fc', 'encoded_slash'],
    ['/a/%2Fc', 'encoded_slash'],
    ['/a/%2fc', 'encoded_slash'],
    // `..;` is a name to nginx and `..` to Tomcat-style backends.
    ['/a/b/..;/c', 'dot_segment_parameter'],
    // Backslash is kept by nginx and is a separator to Windows-style backends.
    ['/a/..%5Cc', 'backslash'],
    ['/a/..%5cc', 'backslash'],
    ['/a/..\\c', 'backslash'],
    // nginx passes `%2e%2e` literally after one decode; an upstream decoding twice would climb.
    ['/a/%252e%252e/c', 'double_encoding'],
    // Overlong UTF-8 for '.', which nginx passes as raw bytes.
    ['/a/%c0%ae%c0%ae/c', 'invalid_utf8'],
    // nginx answers 400 for these.
    ['/a%00b', 'control_character'],
    ['/a/%zz', 'invalid_percent_encoding'],
    ['/a/%u002e', 'invalid_percent_encoding'],
    ['/../a', 'above_root'],
    ['/a/../../b', 'above_root'],
  ])('%s is refused (%s)', (raw, reason) => {
    expect(reasonOf(raw)).toBe(reason)
  })
})

describe('normalizePath: bypass classes of issue 10', () => {
  it('keeps /api../admin a distinct segment (Traefik)', () => {
    expect(pathOf('/api../admin')).toBe('/api../admin')
  })

  it.each([
    ['/..;x/', 'dot_segment_parameter'],
    ['/..;/admin', 'dot_segment_parameter'],
    ['/a/..;x/admin', 'dot_segment_parameter'],
    ['/a/.;x/b', 'dot_segment_parameter'],
    ['/a/%2e%2e;x/b', 'dot_segment_parameter'],
    ['/a/.hidden;v=1', 'dot_segment_parameter'],
    ['/a/...', 'ambiguous_dot_segment'],
    ['/a/..%20/b', 'ambiguous_dot_segment'],
    ['/a/%2e%2e%2e/b', 'ambiguous_dot_segment'],
    ['/a/%252e/b', 'double_encoding'],
    ['/a/%252f/b', 'double_encoding'],
    ['/a/%255c/b', 'double_encoding'],
    ['/a/%2525/b', 'double_encoding'],
    ['/a/%2500/b', 'double_encoding'],
  ])('%s is refused (%s)', (raw, reason) => {
    expect(reasonOf(raw)).toBe(reason)
  })

  it('resolves encoded dot segments before matching (Envoy CVE-2019-9901 class)', () => {
    expect(pathOf('/public/%2e%2e/admin/x')).toBe('/admin/x')
    expect(pathOf('/public/.%2E/admin')).toBe('/admin')
    expect(pathOf('/public/%2e/admin')).toBe('/public/admin')
  })
})

describe('normalizePath: shape of the input', () => {
  it('splits the query off and leaves it raw', () => {
    expect(normalizePath('/a/../b?x=%2e%2e&y=1')).toEqual({ ok: true, path: '/b', query: 'x=%2e%2e&y=1' })
    expect(normalizePath('/a?')).toEqual({ ok: true, path: '/a', query: '' })
    expect(normalizePath('/')).toEqual({ ok: true, path: '/', query: '' })
  })

  it('returns a plain path unchanged', () => {
    const raw = '/api/users/42/orders;v=2/x-y_z~a.json'
    expect(normalizePath(`${raw}?q=1`)).toEqual({ ok: true, path: raw, query: 'q=1' })
    expect(pathOf('/.well-known/openid-configuration')).toBe('/.well-known/openid-configuration')
    expect(pathOf('/a.b/c..d/e.')).toBe('/a.b/c..d/e.')
  })

  it.each([
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
    ['/\u00e9', 'invalid_utf8'],
    ['/%ff', 'invalid_utf8'],
    ['/%ed%a0%80', 'invalid_utf8'],
    ['/..', 'above_root'],
    ['/%2e%2e', 'above_root'],
  ])('%j is refused (%s)', (raw, reason) => {
    expect(reasonOf(raw)).toBe(reason)
  })

  it('refuses a request target longer than 8 KiB, accepts one of exactly 8 KiB', () => {
    const exactly = `/${'a'.repeat(MAX_URI_LENGTH - 1)}`
    expect(pathOf(exactly)).toBe(exactly)
    expect(reasonOf(`${exactly}a`)).toBe('too_long')
    expect(reasonOf(`/a?${'b'.repeat(MAX_URI_LENGTH)}`)).toBe('too_long')
  })

  it('decodes once into a canonical form: printable ASCII literal, the rest %XX upper case', () => {
    expect(pathOf('/%41%62c')).toBe('/Abc')
    expect(pathOf('/caf%c3%a9')).toBe('/caf%C3%A9')
    // Raw bytes >= 0x80 arrive as latin1 characters in node header strings.
    expect(pathOf('/caf\u00c3\u00a9')).toBe('/caf%C3%A9')
    expect(pathOf('/a%20b')).toBe('/a%20b')
    expect(pathOf('/a%3Fb')).toBe('/a%3Fb')
    expect(pathOf('/a%23b')).toBe('/a%23b')
    // A decoded `%` is carried as %25 and never decoded again.
    expect(pathOf('/a%25b')).toBe('/a%25b')
    expect(pathOf('/%2541')).toBe('/%2541')
    expect(pathOf('/a%3bb/%7e')).toBe('/a;b/~')
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

  it('agrees with the reference model whenever it accepts, and refuses whatever the model refuses', () => {
    fc.assert(
      fc.property(rawPath, (raw) => {
        const ours = normalizePath(raw)
        const model = reference(raw)
        if (!model.ok) expect(ours.ok).toBe(false)
        if (ours.ok) expect(model).toEqual({ ok: true, path: decodeURIComponent(ours.path) })
      }),
      { numRuns: 3000 },
    )
  })

  it('never outputs a dot segment, an empty segment, or a character outside printable ASCII', () => {
    fc.assert(
      fc.property(rawPath, (raw) => {
        const r = normalizePath(raw)
        if (!r.ok) return
        expect(r.path.startsWith('/')).toBe(true)
        expect(r.path).toMatch(/^[\x21-\x7e]+$/)
        const segments = r.path.slice(1).split('/')
        segments.forEach((seg, i) => {
          expect(seg === '.' || seg === '..').toBe(false)
          if (i < segments.length - 1) expect(seg).not.toBe('')
        })
      }),
      { numRuns: 3000 },
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
