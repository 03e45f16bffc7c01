import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { deriveKeyId, parseMasterKey } from './master-key'

const key = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex')

describe('parseMasterKey', () => {
  it.each([
    ['hex', key.toString('hex')],
    ['upper-case hex', key.toString('hex').toUpperCase()],
    ['padded base64', key.toString('base64')],
    ['unpadded base64', key.toString('base64').replace(/=+$/, '')],
    ['base64url', key.toString('base64url')],
  ])('accepts 32 bytes as %s', (_label, text) => {
    const parsed = parseMasterKey(text)
    expect(parsed.ok && parsed.key.equals(key)).toBe(true)
  })

  it('accepts base64 and base64url forms that use + / - _', () => {
    const tricky = Buffer.from(`fbfffe${'ab'.repeat(29)}`, 'hex')
    for (const text of [tricky.toString('base64'), tricky.toString('base64url')]) {
      const parsed = parseMasterKey(text)
      expect(parsed.ok && parsed.key.equals(tricky)).toBe(true)
    }
  })

  it('reports the wrong size', () => {
    expect(parseMasterKey(randomBytes(16).toString('hex'))).toEqual({ ok: false, reason: 'not_32_bytes' })
    expect(parseMasterKey(randomBytes(31).toString('base64'))).toEqual({ ok: false, reason: 'not_32_bytes' })
    expect(parseMasterKey(randomBytes(33).toString('base64url'))).toEqual({ ok: false, reason: 'not_32_bytes' })
  })

  it('reports text that is not one of the encodings, whitespace included', () => {
    expect(parseMasterKey('')).toEqual({ ok: false, reason: 'empty' })
    expect(parseMasterKey(`${key.toString('hex')}\n`)).toEqual({ ok: false, reason: 'bad_encoding' })
    expect(parseMasterKey(` ${key.toString('base64')}`)).toEqual({ ok: false, reason: 'bad_encoding' })
    expect(parseMasterKey('not a key at all!')).toEqual({ ok: false, reason: 'bad_encoding' })
    const mixed = Buffer.from(`fbff${'ab'.repeat(30)}`, 'hex')
      .toString('base64')
      .replace('/', '_')
    expect(parseMasterKey(mixed).ok).toBe(false)
  })

  it('refuses base64 whose unused bits are set (not what any encoder writes)', () => {
    const canonical = key.toString('base64url')
    const last = canonical.at(-1) ?? ''
    const nonCanonical = canonical.slice(0, -1) + String.fromCharCode(last.charCodeAt(0) + 1)
    expect(parseMasterKey(nonCanonical)).toEqual({ ok: false, reason: 'bad_encoding' })
  })

  it('refuses a key of one repeated byte', () => {
    expect(parseMasterKey('00'.repeat(32))).toEqual({ ok: false, reason: 'weak_key' })
    expect(parseMasterKey('ab'.repeat(32))).toEqual({ ok: false, reason: 'weak_key' })
  })
})

describe('deriveKeyId', () => {
  it('is 8 hex chars, stable, and different per key', () => {
    const id = deriveKeyId(key)
    expect(id).toMatch(/^[0-9a-f]{8}$/)
    expect(deriveKeyId(Buffer.from(key))).toBe(id)
    expect(deriveKeyId(randomBytes(32))).not.toBe(id)
  })

  it('is not a prefix of the plain SHA-256 of the key', () => {
    expect(deriveKeyId(key)).not.toBe(createHash('sha256').update(key).digest('hex').slice(0, 8))
  })
})
