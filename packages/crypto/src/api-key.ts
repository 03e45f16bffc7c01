import * as nodeCrypto from 'node:crypto'
import { BASE62_ALPHABET, bytesToBigInt, encodeBase62, encodeBase62Number } from './base62'
import { crc32, crc32Update } from './crc32'

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

// parseApiKey runs on every /authz request with a key: one pass over the characters, checking the alphabet and
// feeding the CRC as it goes, then the checksum digits compared in place. No slices, regex, Buffer or BigInt
// (the BigInt base62 alone cost ~1.4 µs per request, issue #9).
const PREFIX_CRC = [...API_KEY_PREFIX].reduce((crc, char) => crc32Update(crc, char.charCodeAt(0)), 0xffffffff)
const CHECKSUM_START = API_KEY_LENGTH - CHECKSUM_LENGTH

function isBase62Code(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
}

/** 'ok', 'malformed' or 'bad_checksum' for a string that starts with the prefix. */
function checkOurKey(raw: string): 'ok' | 'malformed' | 'bad_checksum' {
  if (raw.length !== API_KEY_LENGTH) return 'malformed'
  let crc = PREFIX_CRC
  for (let i = API_KEY_PREFIX.length; i < API_KEY_LENGTH; i++) {
    const c = raw.charCodeAt(i)
    if (!isBase62Code(c)) return 'malformed'
    if (i < CHECKSUM_START) crc = crc32Update(crc, c) // ASCII: the code is the UTF-8 byte
  }
  // The checksum is the CRC in 6 base62 digits, most significant first: compare from the last digit.
  let rest = (crc ^ 0xffffffff) >>> 0
  for (let i = API_KEY_LENGTH - 1; i >= CHECKSUM_START; i--) {
    if (raw.charCodeAt(i) !== BASE62_ALPHABET.charCodeAt(rest % 62)) return 'bad_checksum'
    rest = Math.floor(rest / 62)
  }
  return 'ok'
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
