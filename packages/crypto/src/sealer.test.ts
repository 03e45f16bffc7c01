import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { deriveKeyId } from './master-key'
import { createSealer } from './sealer'

function newKey() {
  const key = randomBytes(32)
  return { id: deriveKeyId(key), key }
}

const clientA = '3f0c8a52-7d1e-4b6a-9c2f-5e8d1a0b7c34'
const clientB = '9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'
const secret = 'gks_q8N3vJ2mXc5Lr0TfYp7Wb1Ze9Ku4Ha6Ds3Gi2Oj8Ml'

// Replaces one base64url part of a sealed value with the same bytes, one bit flipped.
function flipBit(sealed: string, partIndex: number): string {
  const parts = sealed.split('.')
  const bytes = Buffer.from(parts[partIndex] ?? '', 'base64url')
  bytes[0] = (bytes[0] ?? 0) ^ 0x01
  parts[partIndex] = bytes.toString('base64url')
  return parts.join('.')
}

describe('createSealer', () => {
  it('round-trips a secret bound to its row', () => {
    const sealer = createSealer({ active: newKey() })
    const sealed = sealer.seal(secret, clientA)
    expect(sealer.unseal(sealed, clientA)).toEqual({ ok: true, plaintext: secret })
  })

  it('round-trips empty and non-ASCII plaintext', () => {
    const sealer = createSealer({ active: newKey() })
    for (const text of ['', 'pässwörd ✓ 東京 😀']) {
      expect(sealer.unseal(sealer.seal(text, clientA), clientA)).toEqual({ ok: true, plaintext: text })
    }
  })

  it('writes v1.<keyId>.<iv>.<ciphertext>.<tag> with a 12-byte IV and a 16-byte tag', () => {
    const active = newKey()
    const sealed = createSealer({ active }).seal(secret, clientA)
    const [version, keyId, iv, ciphertext, tag, ...rest] = sealed.split('.')
    expect(rest).toEqual([])
    expect(version).toBe('v1')
    expect(keyId).toBe(active.id)
    expect(Buffer.from(iv ?? '', 'base64url')).toHaveLength(12)
    expect(Buffer.from(ciphertext ?? '', 'base64url')).toHaveLength(Buffer.byteLength(secret))
    expect(Buffer.from(tag ?? '', 'base64url')).toHaveLength(16)
    expect(sealed).toMatch(/^v1\.[0-9a-f]{8}(\.[A-Za-z0-9_-]+){3}$/)
  })

  it('produces a different IV and ciphertext on every seal', () => {
    const sealer = createSealer({ active: newKey() })
    const sealedValues = Array.from({ length: 50 }, () => sealer.seal(secret, clientA))
    expect(new Set(sealedValues).size).toBe(50)
    expect(new Set(sealedValues.map((s) => s.split('.')[2])).size).toBe(50)
  })

  it('never shows the plaintext or its base64 in the sealed value', () => {
    const sealer = createSealer({ active: newKey() })
    const sealed = sealer.seal(secret, clientA)
    expect(sealed).not.toContain(secret)
    expect(sealed).not.toContain(secret.slice(4, 20))
    expect(sealed).not.toContain(Buffer.from(secret).toString('base64url').slice(0, 16))
  })

  it('refuses a sealed value copied onto another row', () => {
    const sealer = createSealer({ active: newKey() })
    const sealed = sealer.seal(secret, clientA)
    expect(sealer.unseal(sealed, clientB)).toEqual({ ok: false, reason: 'auth_failed' })
  })

  it.each([
    ['iv', 2],
    ['ciphertext', 3],
    ['tag', 4],
  ])('detects a flipped bit in the %s', (_part, index) => {
    const sealer = createSealer({ active: newKey() })
    const sealed = sealer.seal(secret, clientA)
    expect(sealer.unseal(flipBit(sealed, index), clientA)).toEqual({ ok: false, reason: 'auth_failed' })
  })

  it('detects a truncated ciphertext', () => {
    const sealer = createSealer({ active: newKey() })
    const parts = sealer.seal(secret, clientA).split('.')
    parts[3] = Buffer.from(parts[3] ?? '', 'base64url')
      .subarray(1)
      .toString('base64url')
    expect(sealer.unseal(parts.join('.'), clientA)).toEqual({ ok: false, reason: 'auth_failed' })
  })

  it('fails to open with a different key that claims the same id', () => {
    const active = newKey()
    const sealed = createSealer({ active }).seal(secret, clientA)
    const impostor = createSealer({ active: { id: active.id, key: randomBytes(32) } })
    expect(impostor.unseal(sealed, clientA)).toEqual({ ok: false, reason: 'auth_failed' })
  })

  it('reports a key id it does not hold', () => {
    const sealed = createSealer({ active: newKey() }).seal(secret, clientA)
    expect(createSealer({ active: newKey() }).unseal(sealed, clientA)).toEqual({ ok: false, reason: 'unknown_key' })
  })

  it.each([
    ['empty', ''],
    ['plaintext', secret],
    ['wrong version', 'v2.abcd1234.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['too few parts', 'v1.abcd1234.AAAAAAAAAAAAAAAA.AAAA'],
    ['too many parts', 'v1.abcd1234.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA.x'],
    ['short iv', 'v1.abcd1234.AAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['short tag', 'v1.abcd1234.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAA'],
    ['non-base64url', 'v1.abcd1234.AAAAAAAAAAAAAAAA.AA+/.AAAAAAAAAAAAAAAAAAAAAA'],
    ['padding', 'v1.abcd1234.AAAAAAAAAAAAAAAA.AA==.AAAAAAAAAAAAAAAAAAAAAA'],
    ['empty key id', 'v1..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA'],
  ])('reports a malformed value (%s)', (_label, value) => {
    const sealer = createSealer({ active: newKey() })
    expect(sealer.unseal(value, clientA)).toEqual({ ok: false, reason: 'malformed' })
    expect(sealer.keyIdOf(value)).toBeNull()
  })

  it('rotates: old values open after the old key moves to previous, new values use the new key', () => {
    const oldKey = newKey()
    const newActive = newKey()
    const before = createSealer({ active: oldKey })
    const sealedOld = before.seal(secret, clientA)

    const after = createSealer({ active: newActive, previous: [oldKey] })
    expect(after.activeKeyId).toBe(newActive.id)
    expect(after.keyIdOf(sealedOld)).toBe(oldKey.id)
    const opened = after.unseal(sealedOld, clientA)
    expect(opened).toEqual({ ok: true, plaintext: secret })

    // re-sealing = unseal + seal, and lands on the active key
    const resealed = after.seal(opened.ok ? opened.plaintext : '', clientA)
    expect(after.keyIdOf(resealed)).toBe(newActive.id)
    expect(after.unseal(resealed, clientA)).toEqual({ ok: true, plaintext: secret })
    // once the old key is retired, values still under it no longer open
    const retired = createSealer({ active: newActive })
    expect(retired.unseal(sealedOld, clientA)).toEqual({ ok: false, reason: 'unknown_key' })
    expect(retired.unseal(resealed, clientA)).toEqual({ ok: true, plaintext: secret })
  })

  it('is not affected by the caller changing its key buffer afterwards', () => {
    const active = newKey()
    const sealer = createSealer({ active })
    const sealed = sealer.seal(secret, clientA)
    active.key.fill(0)
    expect(sealer.unseal(sealed, clientA)).toEqual({ ok: true, plaintext: secret })
  })

  it('refuses bad configuration at start-up', () => {
    const key = newKey()
    expect(() => createSealer({ active: key, previous: [key] })).toThrow(/twice/)
    expect(() => createSealer({ active: { id: 'has.dot', key: randomBytes(32) } })).toThrow(TypeError)
    expect(() => createSealer({ active: { id: 'k1', key: randomBytes(16) } })).toThrow(/32 bytes/)
  })

  it('refuses to seal without an aad', () => {
    expect(() => createSealer({ active: newKey() }).seal(secret, '')).toThrow(TypeError)
  })
})
