// Turns nginx's `$request_uri` (raw path + optional `?query`) into the path the upstream sees, the way nginx
// builds `$uri`: percent-decode once, merge duplicate slashes, resolve `.` and `..`. Anything that different
// parsers could read differently is refused instead of guessed (encoded slash, backslash, control characters,
// `..;` path parameters, double-encoded dots and separators, invalid escapes or UTF-8, `..` above the root).
//
// The result is returned in a canonical form: decoded, then re-encoded minimally (printable ASCII stays literal,
// `%`, `?`, `#`, space and non-ASCII become `%XX` with upper-case hex). So a decoded `%` (from `%25`) is carried
// as `%25` and never decoded again, and `normalizePath(result.path)` returns the same path (idempotent). For the
// usual path (plain ASCII, no escapes, no dot segment, no `//`) this is the raw path itself, with no extra work.

export const MAX_URI_LENGTH = 8192

export type NormalizeFailure =
  | 'too_long'
  | 'not_absolute_path'
  | 'fragment'
  | 'invalid_character'
  | 'control_character'
  | 'backslash'
  | 'encoded_slash'
  | 'invalid_percent_encoding'
  | 'invalid_utf8'
  | 'double_encoding'
  | 'dot_segment_parameter'
  | 'ambiguous_dot_segment'
  | 'above_root'

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

/** A character that is not allowed raw anywhere in a request target (nginx answers 400 for these). */
function badRawChar(c: number): NormalizeFailure | undefined {
  if (c < SPACE || c === DEL) return 'control_character'
  if (c === SPACE || c > 0xff) return 'invalid_character'
  if (c === HASH) return 'fragment'
  return undefined
}

// The common target (`/api/v1/items/42?x=1`) is recognised with regexes and indexOf, which run natively: a
// per-character charCodeAt loop over a header value goes through V8's generic property load for each character
// (~30 per request, 3.9k instructions under callgrind, issue #9). Anything these do not clear takes the scan
// below, which also names the reason for a refusal; the two agree on every input (a property test holds them).
// Path: no control character, space, DEL or non-ASCII, no `#`, `\\` or `%`, no `//` and no segment starting with
// `.`. Query: no control character, space, DEL, `#` or character above 0xFF.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what these look for
const PATH_NEEDS_SCAN = /[\x00-\x20\x7f-\uffff#\\%]|\/\/|\/\./
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
    if (c <= SPACE || c >= DEL || c === HASH || c === BACKSLASH || c === PERCENT) {
      const bad = badRawChar(c)
      if (bad !== undefined) return fail(bad)
      if (c === BACKSLASH) return fail('backslash')
      slow = true // `%` or a raw byte >= 0x80
    } else if (c === SLASH ? prev === SLASH : c === DOT && prev === SLASH) {
      slow = true // `//`, or a segment starting with `.` (`.`, `..`, `..;x`, `.well-known`)
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

  const normalised = normalizeSlow(path)
  if (typeof normalised !== 'string') return normalised
  return { ok: true, path: normalised, query }
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

function normalizeSlow(path: string): string | { ok: false; reason: NormalizeFailure } {
  // 1. Percent-decode once into bytes.
  const len = path.length
  let n = 0
  let ascii = true
  for (let i = 0; i < len; i++) {
    let b = path.charCodeAt(i)
    if (b === PERCENT) {
      if (i + 2 >= len) return fail('invalid_percent_encoding')
      const hi = hexValue(path.charCodeAt(i + 1))
      const lo = hexValue(path.charCodeAt(i + 2))
      if (hi < 0 || lo < 0) return fail('invalid_percent_encoding')
      b = hi * 16 + lo
      if (b === SLASH) return fail('encoded_slash')
      if (b === BACKSLASH) return fail('backslash')
      if (b < SPACE || b === DEL) return fail('control_character')
      i += 2
    }
    if (b >= 0x80) ascii = false
    scratch[n++] = b
  }

  // 2. The bytes must be UTF-8 (raw bytes >= 0x80 arrive as latin1 characters in node header strings).
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

  // 3. A decoded `%XX` that names a dot, separator, `%` or control character means the client encoded twice:
  //    an upstream that decodes again would see a different path than the one we authorise.
  for (let i = decoded.indexOf('%'); i >= 0; i = decoded.indexOf('%', i + 1)) {
    const hi = hexValue(decoded.charCodeAt(i + 1)) // NaN past the end -> -1
    const lo = hexValue(decoded.charCodeAt(i + 2))
    if (hi < 0 || lo < 0) continue
    const b = hi * 16 + lo
    if (b === DOT || b === SLASH || b === BACKSLASH || b === PERCENT || b < SPACE || b === DEL) {
      return fail('double_encoding')
    }
  }

  // 4. Resolve segments: empty and `.` vanish, `..` pops; the result ends with `/` when the input did
  //    (`/a/b/` and `/a/b/.` -> `/a/b/`, `/a/b/..` -> `/a/`), like nginx.
  const segments: string[] = []
  let trailingSlash = false
  const dlen = decoded.length
  let start = 1
  while (start <= dlen) {
    let end = decoded.indexOf('/', start)
    if (end < 0) end = dlen
    const seg = decoded.slice(start, end)
    if (seg === '' || seg === '.') {
      trailingSlash = true
    } else if (seg === '..') {
      if (segments.length === 0) return fail('above_root')
      segments.pop()
      trailingSlash = true
    } else {
      if (seg.charCodeAt(0) === DOT) {
        const bad = dotLeadingSegmentProblem(seg)
        if (bad !== undefined) return fail(bad)
      }
      segments.push(canonicalSegment(seg))
      trailingSlash = false
    }
    start = end + 1
  }
  if (segments.length === 0) return '/'
  const joined = `/${segments.join('/')}`
  return trailingSlash ? `${joined}/` : joined
}

/**
 * `..;x` and `.;x` are plain names to nginx but dot segments to Tomcat-style backends (path parameters are
 * stripped before dot resolution); `...` or `.. ` are dot segments to Windows-style backends (trailing dots and
 * spaces are trimmed). None has a legitimate use in an API path, so they are refused rather than interpreted.
 */
function dotLeadingSegmentProblem(seg: string): NormalizeFailure | undefined {
  let onlyDotsAndSpaces = true
  for (let i = 0; i < seg.length; i++) {
    const c = seg.charCodeAt(i)
    if (c === SEMICOLON) return 'dot_segment_parameter'
    if (c !== DOT && c !== SPACE) onlyDotsAndSpaces = false
  }
  return onlyDotsAndSpaces ? 'ambiguous_dot_segment' : undefined
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
