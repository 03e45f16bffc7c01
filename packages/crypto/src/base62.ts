// Fixed-width base62 (0-9, A-Z, a-z): a big-endian number written in base 62, left-padded with '0'. Fixed width
// keeps API keys a constant length whatever the random value, and the alphabet survives double-click selection.

export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

const BASE = 62n

/** Writes `value` (>= 0) in base62, left-padded to `width`; throws if it does not fit (a caller bug). */
export function encodeBase62(value: bigint, width: number): string {
  if (value < 0n) throw new RangeError('encodeBase62: negative value')
  let rest = value
  let out = ''
  while (rest > 0n) {
    out = BASE62_ALPHABET.charAt(Number(rest % BASE)) + out
    rest /= BASE
  }
  if (out.length > width) throw new RangeError(`encodeBase62: value needs ${out.length} digits, width is ${width}`)
  return out.padStart(width, '0')
}

/** `value` (an integer, 0 <= value < 2^53) in base62, left-padded to `width`: plain numbers, no BigInt. */
export function encodeBase62Number(value: number, width: number): string {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError('encodeBase62Number: not a safe non-negative integer')
  let rest = value
  let out = ''
  while (rest > 0) {
    out = BASE62_ALPHABET.charAt(rest % 62) + out
    rest = Math.floor(rest / 62)
  }
  if (out.length > width)
    throw new RangeError(`encodeBase62Number: value needs ${out.length} digits, width is ${width}`)
  return out.padStart(width, '0')
}

/** The big-endian unsigned integer held in `bytes`. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let value = 0n
  for (const byte of bytes) value = (value << 8n) | BigInt(byte)
  return value
}
