// Byte-level percent-coding for the v2 canonical request. Everything here works on bytes, never on decoded text,
// so a path or query that is not valid UTF-8 still has exactly one canonical form, and no language's Unicode
// handling can make two implementations disagree.

const utf8 = new TextEncoder()

const PERCENT = 0x25
const PLUS = 0x2b
const SPACE = 0x20
const HEX_DIGITS = '0123456789ABCDEF'

/** RFC 3986 section 2.3 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~". Everything else is %XX in canonical form. */
function isUnreserved(b: number): boolean {
  return (
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x61 && b <= 0x7a) ||
    (b >= 0x30 && b <= 0x39) ||
    b === 0x2d ||
    b === 0x2e ||
    b === 0x5f ||
    b === 0x7e
  )
}

/** Encodes every byte outside the unreserved set as `%XX` with upper-case hex (SigV4's UriEncode; space is `%20`). */
export function encodeUnreserved(bytes: Uint8Array): string {
  let out = ''
  for (const b of bytes) {
    out += isUnreserved(b) ? String.fromCharCode(b) : `%${HEX_DIGITS[b >> 4]}${HEX_DIGITS[b & 15]}`
  }
  return out
}

function hexValue(c: number | undefined): number {
  if (c === undefined) return -1
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  const lower = c | 0x20
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10
  return -1
}

/**
 * Decodes `%XX` escapes once (either letter case); `plusIsSpace` also turns `+` into a space, as every server-side
 * query parser does. Returns undefined for a `%` not followed by two hex digits: such input has no single meaning.
 */
export function percentDecode(bytes: Uint8Array, plusIsSpace: boolean): Uint8Array | undefined {
  if (!bytes.includes(PERCENT) && !(plusIsSpace && bytes.includes(PLUS))) return bytes
  const out = new Uint8Array(bytes.length)
  let n = 0
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0
    if (b === PERCENT) {
      const hi = hexValue(bytes[i + 1])
      const lo = hexValue(bytes[i + 2])
      if (hi < 0 || lo < 0) return undefined
      out[n++] = hi * 16 + lo
      i += 2
    } else {
      out[n++] = plusIsSpace && b === PLUS ? SPACE : b
    }
  }
  return out.subarray(0, n)
}

/**
 * Text to bytes. A string is Unicode text (what a caller writes, e.g. `/files/café`) and becomes its UTF-8 bytes;
 * a Uint8Array is taken as the raw bytes that travel on the wire.
 */
export function toBytes(value: string | Uint8Array): Uint8Array {
  return typeof value === 'string' ? utf8.encode(value) : value
}

/** Splits on one byte value, like String.prototype.split. */
export function splitBytes(bytes: Uint8Array, separator: number): Uint8Array[] {
  const parts: Uint8Array[] = []
  let start = 0
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === separator) {
      parts.push(bytes.subarray(start, i))
      start = i + 1
    }
  }
  return parts
}
