import * as nodeCrypto from 'node:crypto'
import { bytesToBigInt, encodeBase62, encodeBase62Number } from './base62'
import { crc32 } from './crc32'

// 32 random bytes need 43 base62 digits (62^43 > 2^256); a CRC-32 needs 6 (62^6 > 2^32).
const BODY_LENGTH = 43
const CHECKSUM_LENGTH = 6

/**
 * A family of secrets shaped like our API keys: `<prefix>` + 43 base62 digits of 256 random bits + 6 base62 digits
 * of CRC-32 over what precedes. The prefix says what a leaked string is (and lets a secret scanner find it); the
 * checksum refuses a mistyped value before any lookup. API keys (`gk_`) and admin API tokens (`gka_`) are two such
 * families.
 */
export type ChecksummedTokenFormat = {
  readonly prefix: string
  readonly length: number
  generate(): string
  /** 'ok', 'malformed' or 'bad_checksum' for a string that starts with the prefix (no trimming). */
  check(raw: string): 'ok' | 'malformed' | 'bad_checksum'
}

function checksumOf(prefixAndBody: string): string {
  return encodeBase62Number(crc32(prefixAndBody), CHECKSUM_LENGTH)
}

// check() runs on every /authz request with a key: one regex for the shape, the native CRC-32 over the prefix and
// body, and the six checksum digits compared as a string. No per-character loop over the key: header values arrive
// in string representations for which V8 does each `charCodeAt` through a generic property load (~60 per key, 7.7k
// instructions per request under callgrind); no BigInt (~1.4 us per request).
export function checksummedTokenFormat(prefix: string): ChecksummedTokenFormat {
  if (!/^[a-z]{1,8}_$/.test(prefix)) throw new TypeError(`checksummedTokenFormat: bad prefix ${prefix}`)
  const length = prefix.length + BODY_LENGTH + CHECKSUM_LENGTH
  const shape = new RegExp(`^${prefix}[0-9A-Za-z]{${BODY_LENGTH + CHECKSUM_LENGTH}}$`)
  const checksumStart = length - CHECKSUM_LENGTH
  return {
    prefix,
    length,
    generate() {
      const body = encodeBase62(bytesToBigInt(nodeCrypto.randomBytes(32)), BODY_LENGTH)
      return prefix + body + checksumOf(prefix + body)
    },
    check(raw) {
      if (raw.length !== length || !shape.test(raw)) return 'malformed'
      // The checksum is public (derived from the value), so an ordinary comparison reveals nothing.
      return raw.endsWith(checksumOf(raw.slice(0, checksumStart))) ? 'ok' : 'bad_checksum'
    },
  }
}

// Node >= 20.12 has the one-shot crypto.hash(), about 3x cheaper than a Hash object for a short input.
const oneShotHash: ((algorithm: string, data: string, encoding: 'hex') => string) | undefined =
  typeof nodeCrypto.hash === 'function' ? nodeCrypto.hash : undefined

/** What is stored and looked up for a high-entropy secret: lowercase hex SHA-256 of its UTF-8 bytes. */
export function digestToken(value: string): string {
  if (oneShotHash !== undefined) return oneShotHash('sha256', value, 'hex')
  return nodeCrypto.createHash('sha256').update(value, 'utf8').digest('hex')
}
