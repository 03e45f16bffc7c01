import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { MASTER_KEY_BYTES } from './master-key'

export type SealerKey = { id: string; key: Buffer }

export type UnsealResult =
  | { ok: true; plaintext: string }
  | { ok: false; reason: 'malformed' | 'unknown_key' | 'auth_failed' }

export type Sealer = {
  /** Encrypts with the active key. `aad` (the owning row's id) is authenticated, not stored. */
  seal(plaintext: string, aad: string): string
  /** Opens a value sealed under any known key (active or previous) with the same `aad`. */
  unseal(sealed: string, aad: string): UnsealResult
  /** The key id a sealed value names, or null if it is not a v1 sealed value. Used to find values to re-seal. */
  keyIdOf(sealed: string): string | null
  activeKeyId: string
}

const VERSION = 'v1'
const IV_BYTES = 12
const TAG_BYTES = 16
const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/
const B64URL_PATTERN = /^[A-Za-z0-9_-]*$/

type Envelope = { keyId: string; iv: Buffer; ciphertext: Buffer; tag: Buffer }

function decodeB64url(text: string): Buffer | null {
  if (!B64URL_PATTERN.test(text) || text.length % 4 === 1) return null
  const bytes = Buffer.from(text, 'base64url')
  return bytes.toString('base64url') === text ? bytes : null
}

function parseEnvelope(sealed: string): Envelope | null {
  const parts = sealed.split('.')
  if (parts.length !== 5) return null
  const [version, keyId, ivText, ciphertextText, tagText] = parts
  if (version !== VERSION || keyId === undefined || !KEY_ID_PATTERN.test(keyId)) return null
  const iv = decodeB64url(ivText ?? '')
  const ciphertext = decodeB64url(ciphertextText ?? '')
  const tag = decodeB64url(tagText ?? '')
  if (iv === null || ciphertext === null || tag === null) return null
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return null
  return { keyId, iv, ciphertext, tag }
}

function checkKey(entry: SealerKey): void {
  if (!KEY_ID_PATTERN.test(entry.id))
    throw new TypeError(`createSealer: key id "${entry.id}" must match ${KEY_ID_PATTERN}`)
  if (entry.key.length !== MASTER_KEY_BYTES) throw new TypeError(`createSealer: key "${entry.id}" is not 32 bytes`)
}

/**
 * AES-256-GCM sealing of secrets at rest: `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts), a fresh random
 * 12-byte IV per seal. Rotation: make the new key active and move the old one to `previous`; values sealed under
 * either still open, new seals use the active key, and re-sealing is unseal + seal.
 * Bad configuration (malformed or duplicate key ids, keys of the wrong size) throws: it is a start-up error.
 */
export function createSealer(config: { active: SealerKey; previous?: SealerKey[] }): Sealer {
  const entries = [config.active, ...(config.previous ?? [])]
  const keys = new Map<string, Buffer>()
  for (const entry of entries) {
    checkKey(entry)
    if (keys.has(entry.id)) throw new TypeError(`createSealer: key id "${entry.id}" appears twice`)
    // Copies, so a caller reusing or zeroing its buffer cannot change the sealer's keys.
    keys.set(entry.id, Buffer.from(entry.key))
  }
  const activeId = config.active.id
  const activeKey = Buffer.from(config.active.key)

  return {
    activeKeyId: activeId,

    seal(plaintext, aad) {
      // An empty aad would bind the value to nothing, which defeats the point; it is a caller bug.
      if (aad.length === 0) throw new TypeError('seal: aad must not be empty')
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', activeKey, iv, { authTagLength: TAG_BYTES })
      cipher.setAAD(Buffer.from(aad, 'utf8'))
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      const tag = cipher.getAuthTag()
      return [VERSION, activeId, iv, ciphertext, tag]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.')
    },

    unseal(sealed, aad) {
      const envelope = parseEnvelope(sealed)
      if (envelope === null) return { ok: false, reason: 'malformed' }
      const key = keys.get(envelope.keyId)
      if (key === undefined) return { ok: false, reason: 'unknown_key' }
      const decipher = createDecipheriv('aes-256-gcm', key, envelope.iv, { authTagLength: TAG_BYTES })
      decipher.setAAD(Buffer.from(aad, 'utf8'))
      decipher.setAuthTag(envelope.tag)
      try {
        const plaintext = Buffer.concat([decipher.update(envelope.ciphertext), decipher.final()])
        return { ok: true, plaintext: plaintext.toString('utf8') }
      } catch {
        // final() throws when the tag does not match: wrong aad, wrong key material, or tampering.
        return { ok: false, reason: 'auth_failed' }
      }
    },

    keyIdOf(sealed) {
      return parseEnvelope(sealed)?.keyId ?? null
    },
  }
}
