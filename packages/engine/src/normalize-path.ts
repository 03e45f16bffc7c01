// Checks nginx's `$request_uri` (raw path + optional `?query`) and returns the path authz decides on.
//
// Nothing is resolved. nginx forwards the client's raw request URI to the upstream, and every framework reads a
// raw path its own way (Werkzeug and Hono decode and may resolve dot segments, Express matches the raw bytes,
// servlet containers strip `;` parameters, Windows-style servers split on `\\`). So a target is accepted only
// when it has one reading, and everything else is refused (`ambiguous_path`), never guessed:
//   - `.` and `..` segments in any spelling (`..`, `%2e%2E`, `.%2E`), dot-only segments (`...`, `.. `),
//   - empty segments (`//` anywhere; a trailing `/` is a distinct, unambiguous path),
//   - `;` raw or encoded (path parameters), `\\` raw or encoded, an encoded `/`,
//   - control characters raw or encoded, raw space, raw bytes >= 0x80, a raw `#`,
//   - invalid escapes, escapes that are not UTF-8 (overlong forms included), `%25` followed by two hex digits
//     (an upstream that decodes twice reads another path),
//   - percent-encoded unreserved characters (`%41`, `%7e`, `%2d`): RFC 3986 makes them equal to the literal
//     character, and frameworks disagree on whether they decode them before routing.
// What remains is decided in a canonical form: decoded once, then re-encoded minimally (printable ASCII stays
// literal, `%`, `?`, `#`, space and non-ASCII become `%XX` with upper-case hex), the form route patterns are
// compiled to. It differs from the raw path only in hex case and in encoded reserved characters (`%40` -> `@`);
// the route index checks that such a path selects the same route either way (see route-index.ts).
// For the usual path (plain ASCII, no escapes, no `;`, no dot-leading segment, no `//`) it is the raw path
// itself, with no extra work.

export const MAX_URI_LENGTH = 8192

export type NormalizeFailure =
  | 'too_long'
  | 'not_absolute_path'
  | 'fragment'
  | 'invalid_character'
  | 'non_ascii_byte'
  | 'control_character'
  | 'backslash'
  | 'encoded_slash'
  | 'invalid_percent_encoding'
  | 'invalid_utf8'
  | 'double_encoding'
  | 'path_parameter'
  | 'dot_segment'
  | 'ambiguous_dot_segment'
  | 'empty_segment'
  | 'encoded_unreserved'

/**
 * Failures that make a request target unusable rather than ambiguous: `bad_request`. Every other failure is a
 * target that different programs could read differently: `ambiguous_path`.
 */
export const MALFORMED_TARGET: ReadonlySet<NormalizeFailure> = new Set(['too_long', 'not_absolute_path'])

export type NormalizeResult = { ok: true; path: string; query: string } | { ok: false; reason: NormalizeFailure }

const SLASH = 0x2f
const DOT = 0x2e
const PERCENT = 0x25
const QUESTION = 0x3f
const HASH = 0x23
const BACKSLASH = 0x5c
const SPACE = 0x20
const DEL = 0x7f
const SEMICOLON = 0x3b

const failures = new Map<NormalizeFailure, { ok: false; reason: NormalizeFailure }>()
function fail(reason: NormalizeFailure): { ok: false; reason: NormalizeFailure } {
  let f = failures.get(reason)
  if (f === undefined) {
    f = Object.freeze({ ok: false as const, reason })
    failures.set(reason, f)
  }
  return f
}

/** A character that is not allowed raw anywhere in a request target (nginx answers 400 for most of these). */
function badRawChar(c: number): NormalizeFailure | undefined {
  if (c < SPACE || c === DEL) return 'control_character'
  if (c === SPACE || c > 0xff) return 'invalid_character'
  if (c === HASH) return 'fragment'
  return undefined
}

// The common target (`/api/v1/items/42?x=1`) is recognised with regexes and indexOf, which run natively: a
// per-character charCodeAt loop over a header value goes through V8's generic property load for each character
// (~30 per request, 3.9k instructions under callgrind). Anything these do not clear takes the scan below, which
// also names the reason for a refusal; the two agree on every input (a property test holds them).
// Path: no control character, space, DEL or non-ASCII, no `#`, `\\`, `%` or `;`, no `//` and no segment starting
// with `.`. Query: no control character, space, DEL, `#` or character above 0xFF.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what these look for
const PATH_NEEDS_SCAN = /[\x00-\x20\x7f-\uffff#\\%;]|\/\/|\/\./
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what these look for
const QUERY_NEEDS_SCAN = /[\x00-\x20\x7f#\u0100-\uffff]/

export function normalizePath(rawUri: string): NormalizeResult {
  const len = rawUri.length
  if (len === 0 || len > MAX_URI_LENGTH || rawUri[0] !== '/') return normalizePathByScan(rawUri)
  const q = rawUri.indexOf('?')
  const path = q < 0 ? rawUri : rawUri.slice(0, q)
  if (PATH_NEEDS_SCAN.test(path)) return normalizePathByScan(rawUri)
  if (q < 0) return { ok: true, path, query: '' }
  const query = rawUri.slice(q + 1)
  if (QUERY_NEEDS_SCAN.test(query)) return normalizePathByScan(rawUri)
  return { ok: true, path, query }
}

/** The full check, character by character: every target the regexes above do not clear. */
export function normalizePathByScan(rawUri: string): NormalizeResult {
  const len = rawUri.length
  if (len > MAX_URI_LENGTH) return fail('too_long')
  if (len === 0 || rawUri.charCodeAt(0) !== SLASH) return fail('not_absolute_path')

  let queryStart = -1
  let slow = false
  let prev = 0
  for (let i = 0; i < len; i++) {
    const c = rawUri.charCodeAt(i)
    if (c === QUESTION) {
      queryStart = i
      break
    }
    if (c <= SPACE || c >= DEL || c === HASH || c === BACKSLASH || c === PERCENT || c === SEMICOLON) {
      const bad = badRawChar(c)
      if (bad !== undefined) return fail(bad)
      if (c === BACKSLASH) return fail('backslash')
      if (c === SEMICOLON) return fail('path_parameter')
      if (c !== PERCENT) return fail('non_ascii_byte') // a raw byte >= 0x80 (latin1 in node header strings)
      slow = true
    } else if (c === SLASH && prev === SLASH) {
      return fail('empty_segment')
    } else if (c === DOT && prev === SLASH) {
      slow = true // a segment starting with `.` (`.`, `..`, `...`, `.well-known`)
    }
    prev = c
  }

  let query = ''
  let path = rawUri
  if (queryStart >= 0) {
    for (let i = queryStart + 1; i < len; i++) {
      const bad = badRawChar(rawUri.charCodeAt(i))
      if (bad !== undefined) return fail(bad)
    }
    query = rawUri.slice(queryStart + 1)
    path = rawUri.slice(0, queryStart)
  }
  if (!slow) return { ok: true, path, query }

  const canonical = canonicalPath(path)
  if (typeof canonical !== 'string') return canonical
  return { ok: true, path: canonical, query }
}

// Decoding needs at most one byte per input character, and the input is bounded by MAX_URI_LENGTH.
// Module-level scratch is safe: the function is synchronous.
const scratch = Buffer.allocUnsafe(MAX_URI_LENGTH)
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  const lower = c | 0x20
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10
  return -1
}

/** RFC 3986 unreserved: ALPHA / DIGIT / `-` / `.` / `_` / `~`. */
function isUnreserved(b: number): boolean {
  return (
    (b >= 0x30 && b <= 0x39) ||
    ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a) ||
    b === 0x2d ||
    b === DOT ||
    b === 0x5f ||
    b === 0x7e
  )
}

/**
 * A path the scan let through with `%` escapes or a dot-leading segment (no `//`, `;`, `\\` or raw byte >= 0x80
 * left): each segment is checked, decoded once and re-encoded canonically. Nothing is resolved.
 */
function canonicalPath(path: string): string | { ok: false; reason: NormalizeFailure } {
  const len = path.length
  let out = ''
  let start = 1
  while (start <= len) {
    let end = path.indexOf('/', start)
    if (end < 0) end = len
    const seg = canonicalRawSegment(path, start, end)
    if (typeof seg !== 'string') return seg
    out += `/${seg}`
    start = end + 1
  }
  return out === '' ? '/' : out
}

function canonicalRawSegment(
  path: string,
  start: number,
  end: number,
): string | { ok: false; reason: NormalizeFailure } {
  // 1. Percent-decode once into bytes, refusing what must not be encoded.
  let n = 0
  let ascii = true
  let encodedUnreserved = false
  for (let i = start; i < end; i++) {
    let b = path.charCodeAt(i)
    if (b === PERCENT) {
      if (i + 2 >= end) return fail('invalid_percent_encoding')
      const hi = hexValue(path.charCodeAt(i + 1))
      const lo = hexValue(path.charCodeAt(i + 2))
      if (hi < 0 || lo < 0) return fail('invalid_percent_encoding')
      b = hi * 16 + lo
      if (b === SLASH) return fail('encoded_slash')
      if (b === BACKSLASH) return fail('backslash')
      if (b < SPACE || b === DEL) return fail('control_character')
      if (b === SEMICOLON) return fail('path_parameter')
      if (
        b === PERCENT &&
        i + 4 < end &&
        hexValue(path.charCodeAt(i + 3)) >= 0 &&
        hexValue(path.charCodeAt(i + 4)) >= 0
      ) {
        return fail('double_encoding')
      }
      if (isUnreserved(b)) encodedUnreserved = true
      i += 2
    }
    if (b >= 0x80) ascii = false
    scratch[n++] = b
  }
  if (n === 0) return end === path.length ? '' : fail('empty_segment')

  // 2. The bytes must be UTF-8 (overlong forms of `.` and `/` fail here).
  let decoded: string
  if (ascii) {
    decoded = scratch.toString('latin1', 0, n)
  } else {
    try {
      decoded = utf8.decode(scratch.subarray(0, n))
    } catch {
      return fail('invalid_utf8')
    }
  }

  // 3. Dot segments in any spelling; dot-only ones (`...`, `.. `) are dot segments to Windows-style servers.
  if (decoded.charCodeAt(0) === DOT) {
    let onlyDotsAndSpaces = true
    for (let i = 0; i < decoded.length; i++) {
      const c = decoded.charCodeAt(i)
      if (c !== DOT && c !== SPACE) {
        onlyDotsAndSpaces = false
        break
      }
    }
    if (decoded === '.' || decoded === '..') return fail('dot_segment')
    if (onlyDotsAndSpaces) return fail('ambiguous_dot_segment')
  }
  if (encodedUnreserved) return fail('encoded_unreserved')
  return canonicalSegment(decoded)
}

function isLiteral(c: number): boolean {
  return c > SPACE && c < DEL && c !== PERCENT && c !== QUESTION && c !== HASH
}

const HEX = '0123456789ABCDEF'

/** The canonical (minimally %-encoded) form of one decoded path segment; also used for route patterns. */
export function canonicalSegment(seg: string): string {
  let plain = true
  for (let i = 0; i < seg.length; i++) {
    if (!isLiteral(seg.charCodeAt(i))) {
      plain = false
      break
    }
  }
  if (plain) return seg
  let out = ''
  for (const b of Buffer.from(seg, 'utf8')) {
    out += isLiteral(b) ? String.fromCharCode(b) : `%${HEX[b >> 4]}${HEX[b & 15]}`
  }
  return out
}
