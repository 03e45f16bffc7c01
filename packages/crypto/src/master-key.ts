import { createHash } from 'node:crypto'

export const MASTER_KEY_BYTES = 32

export type ParsedMasterKey =
  | { ok: true; key: Buffer }
  | { ok: false; reason: 'empty' | 'not_32_bytes' | 'bad_encoding' | 'weak_key' }

const HEX = /^[0-9a-fA-F]*$/
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/

function decodeBase64(value: string, encoding: 'base64' | 'base64url'): Buffer | null {
  const decoded = Buffer.from(value, encoding)
  // Node's decoder skips what it does not understand; only accept text that re-encodes to itself.
  const canonical = decoded.toString(encoding).replace(/=+$/, '')
  return canonical === value.replace(/=+$/, '') ? decoded : null
}

/**
 * Reads a 256-bit master key from configuration: 64 hex chars, or base64 / base64url (padding optional).
 * Nothing is trimmed, so stray whitespace from an env file is reported instead of silently changing the key.
 */
export function parseMasterKey(value: string): ParsedMasterKey {
  if (value.length === 0) return { ok: false, reason: 'empty' }
  let key: Buffer | null = null
  if (value.length === MASTER_KEY_BYTES * 2 && HEX.test(value)) {
    key = Buffer.from(value, 'hex')
  } else if (BASE64.test(value)) {
    key = decodeBase64(value, 'base64')
  } else if (BASE64URL.test(value)) {
    key = decodeBase64(value, 'base64url')
  }
  if (key === null) return { ok: false, reason: 'bad_encoding' }
  if (key.length !== MASTER_KEY_BYTES) return { ok: false, reason: 'not_32_bytes' }
  if (key.every((byte) => byte === key[0])) return { ok: false, reason: 'weak_key' }
  return { ok: true, key }
}

const KEY_ID_LABEL = 'gatekeeper/master-key-id/v1\0'

/** A short public id for a master key: 8 hex chars of SHA-256 over a fixed label and the key (not of the key alone). */
export function deriveKeyId(key: Buffer): string {
  return createHash('sha256').update(KEY_ID_LABEL, 'utf8').update(key).digest('hex').slice(0, 8)
}
