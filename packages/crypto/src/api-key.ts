import * as nodeCrypto from 'node:crypto'
import { bytesToBigInt, encodeBase62, encodeBase62Number } from './base62'
import { crc32 } from './crc32'

export const API_KEY_PREFIX = 'gk_'

// 32 random bytes need 43 base62 digits (62^43 > 2^256); a CRC-32 needs 6 (62^6 > 2^32).
const BODY_LENGTH = 43
const CHECKSUM_LENGTH = 6
const API_KEY_LENGTH = API_KEY_PREFIX.length + BODY_LENGTH + CHECKSUM_LENGTH // 52

// Keys imported from the original system: plaintext, no prefix or checksum. Visible ASCII without space, quotes,
// comma or backslash, so a legacy key never needs escaping in a header, a log field or a CSV.
const LEGACY_KEY_PATTERN = /^[\u0021\u0023-\u0026\u0028-\u002b\u002d-\u005b\u005d-\u007e]{16,256}$/

export type ParsedApiKey =
  | { ok: true; key: string; format: 'gatekeeper' | 'legacy' }
  | { ok: false; reason: 'empty' | 'malformed' | 'bad_checksum' }

function checksumOf(prefixAndBody: string): string {
  return encodeBase62Number(crc32(prefixAndBody), CHECKSUM_LENGTH)
}

// parseApiKey runs on every /authz request with a key: one regex for the shape, the native CRC-32 over the prefix
// and body, and the six checksum digits compared as a string. No per-character loop over the key: header values
// arrive in string representations for which V8 does each `charCodeAt` through a generic property load (~60 per
// key, 7.7k instructions per request under callgrind, issue #9); no BigInt (~1.4 us per request).
const OUR_KEY_SHAPE = new RegExp(`^${API_KEY_PREFIX}[0-9A-Za-z]{${BODY_LENGTH + CHECKSUM_LENGTH}}$`)
const CHECKSUM_START = API_KEY_LENGTH - CHECKSUM_LENGTH

/** 'ok', 'malformed' or 'bad_checksum' for a string that starts with the prefix. */
function checkOurKey(raw: string): 'ok' | 'malformed' | 'bad_checksum' {
  if (raw.length !== API_KEY_LENGTH || !OUR_KEY_SHAPE.test(raw)) return 'malformed'
  // The checksum is public (derived from the key), so an ordinary comparison reveals nothing.
  return raw.endsWith(checksumOf(raw.slice(0, CHECKSUM_START))) ? 'ok' : 'bad_checksum'
}

/** A new key: `gk_` + 43 base62 digits of 256 random bits + 6 base62 digits of CRC-32 over what precedes. */
export function generateApiKey(): string {
  const body = encodeBase62(bytesToBigInt(nodeCrypto.randomBytes(32)), BODY_LENGTH)
  const prefixAndBody = API_KEY_PREFIX + body
  return prefixAndBody + checksumOf(prefixAndBody)
}

/**
 * Classifies a presented key before any lookup. Anything starting with `gk_` must be a well-formed key with a
 * matching checksum, so a mistyped key is refused without touching the store. Does not trim: callers do.
 */
export function parseApiKey(raw: string): ParsedApiKey {
  if (raw.length === 0) return { ok: false, reason: 'empty' }
  if (raw.startsWith(API_KEY_PREFIX)) {
    const verdict = checkOurKey(raw)
    return verdict === 'ok' ? { ok: true, key: raw, format: 'gatekeeper' } : { ok: false, reason: verdict }
  }
  if (LEGACY_KEY_PATTERN.test(raw)) return { ok: true, key: raw, format: 'legacy' }
  return { ok: false, reason: 'malformed' }
}

// Node >= 20.12 has the one-shot crypto.hash(), about 3x cheaper than a Hash object for a short input.
const oneShotHash: ((algorithm: string, data: string, encoding: 'hex') => string) | undefined =
  typeof nodeCrypto.hash === 'function' ? nodeCrypto.hash : undefined

/** What is stored and looked up: lowercase hex SHA-256 of the key's UTF-8 bytes. */
export function digestApiKey(key: string): string {
  if (oneShotHash !== undefined) return oneShotHash('sha256', key, 'hex')
  return nodeCrypto.createHash('sha256').update(key, 'utf8').digest('hex')
}

/** The parts kept for display: `gk_` + 4 body chars (legacy keys: their first 4 chars), and the last 4 chars. */
export function apiKeyDisplayParts(key: string): { prefix: string; last4: string } {
  const prefixLength = key.startsWith(API_KEY_PREFIX) ? API_KEY_PREFIX.length + 4 : 4
  return { prefix: key.slice(0, prefixLength), last4: key.slice(-4) }
}

/** `gk_AbCd…wxyz` */
export function maskApiKey(prefix: string, last4: string): string {
  return `${prefix}\u2026${last4}`
}
