import { checksummedTokenFormat, digestToken } from './checksummed-token'

export const API_KEY_PREFIX = 'gk_'

const apiKeyFormat = checksummedTokenFormat(API_KEY_PREFIX) // 52 chars

// Keys imported from the original system: plaintext, no prefix or checksum. Visible ASCII without space, quotes,
// comma or backslash, so a legacy key never needs escaping in a header, a log field or a CSV.
const LEGACY_KEY_PATTERN = /^[\u0021\u0023-\u0026\u0028-\u002b\u002d-\u005b\u005d-\u007e]{16,256}$/

export type ParsedApiKey =
  | { ok: true; key: string; format: 'gatekeeper' | 'legacy' }
  | { ok: false; reason: 'empty' | 'malformed' | 'bad_checksum' }

/** A new key: `gk_` + 43 base62 digits of 256 random bits + 6 base62 digits of CRC-32 over what precedes. */
export function generateApiKey(): string {
  return apiKeyFormat.generate()
}

/**
 * Classifies a presented key before any lookup. Anything starting with `gk_` must be a well-formed key with a
 * matching checksum, so a mistyped key is refused without touching the store. Does not trim: callers do.
 */
export function parseApiKey(raw: string): ParsedApiKey {
  if (raw.length === 0) return { ok: false, reason: 'empty' }
  if (raw.startsWith(API_KEY_PREFIX)) {
    const verdict = apiKeyFormat.check(raw)
    return verdict === 'ok' ? { ok: true, key: raw, format: 'gatekeeper' } : { ok: false, reason: verdict }
  }
  if (LEGACY_KEY_PATTERN.test(raw)) return { ok: true, key: raw, format: 'legacy' }
  return { ok: false, reason: 'malformed' }
}

/** What is stored and looked up: lowercase hex SHA-256 of the key's UTF-8 bytes. */
export function digestApiKey(key: string): string {
  return digestToken(key)
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
