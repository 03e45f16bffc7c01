import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { API_KEY_PREFIX, apiKeyDisplayParts, digestApiKey, generateApiKey, maskApiKey, parseApiKey } from './api-key'
import { BASE62_ALPHABET } from './base62'
import { crc32 } from './crc32'

describe('generateApiKey', () => {
  it('makes 52-char gk_ keys of base62 that parse as ours', () => {
    for (let i = 0; i < 200; i++) {
      const key = generateApiKey()
      expect(key).toHaveLength(52)
      expect(key).toMatch(/^gk_[0-9A-Za-z]{49}$/)
      expect(parseApiKey(key)).toEqual({ ok: true, key, format: 'gatekeeper' })
    }
  })

  it('never repeats a key', () => {
    const keys = new Set(Array.from({ length: 5000 }, () => generateApiKey()))
    expect(keys.size).toBe(5000)
  })

  it('uses the whole alphabet in the body (the encoding is not biased to a subset)', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 200; i++) for (const char of generateApiKey().slice(3, 46)) seen.add(char)
    expect(seen.size).toBe(62)
  })
})

describe('parseApiKey', () => {
  it('rejects every single-character substitution in the body or checksum', () => {
    for (let round = 0; round < 3; round++) {
      const key = generateApiKey()
      for (let position = API_KEY_PREFIX.length; position < key.length; position++) {
        for (const replacement of BASE62_ALPHABET) {
          if (replacement === key[position]) continue
          const typo = key.slice(0, position) + replacement + key.slice(position + 1)
          const parsed = parseApiKey(typo)
          if (parsed.ok || parsed.reason !== 'bad_checksum') {
            throw new Error(`substitution at ${position} -> ${replacement} was not rejected: ${JSON.stringify(parsed)}`)
          }
        }
      }
    }
  })

  it('rejects swapped adjacent characters', () => {
    const key = generateApiKey()
    for (let position = API_KEY_PREFIX.length; position < key.length - 1; position++) {
      const a = key.charAt(position)
      const b = key.charAt(position + 1)
      if (a === b) continue
      const swapped = key.slice(0, position) + b + a + key.slice(position + 2)
      expect(parseApiKey(swapped)).toEqual({ ok: false, reason: 'bad_checksum' })
    }
  })

  it('rejects gk_ strings that are not our exact shape as malformed', () => {
    const key = generateApiKey()
    expect(parseApiKey(key.slice(0, -1))).toEqual({ ok: false, reason: 'malformed' })
    expect(parseApiKey(`${key}A`)).toEqual({ ok: false, reason: 'malformed' })
    expect(parseApiKey(`${key.slice(0, 10)}-${key.slice(11)}`)).toEqual({ ok: false, reason: 'malformed' })
    expect(parseApiKey(`${key.slice(0, 10)}é${key.slice(11)}`)).toEqual({ ok: false, reason: 'malformed' })
    expect(parseApiKey('gk_')).toEqual({ ok: false, reason: 'malformed' })
    // a long legacy-looking value that happens to start with gk_ is still held to our format
    expect(parseApiKey('gk_plain-old-token-value-1234')).toEqual({ ok: false, reason: 'malformed' })
  })

  it('does not trim', () => {
    const key = generateApiKey()
    expect(parseApiKey(` ${key}`).ok).toBe(false)
    expect(parseApiKey(`${key}\n`)).toEqual({ ok: false, reason: 'malformed' })
  })

  it('reports the empty string as empty', () => {
    expect(parseApiKey('')).toEqual({ ok: false, reason: 'empty' })
  })

  it('accepts legacy plaintext keys of 16..256 visible ASCII characters', () => {
    for (const legacy of [
      'Xk3_9fQ-2LmZpR8tVw4nYb6sJc1hDe0gUa7oKi5qEy',
      'abcdefghijklmnop',
      'a'.repeat(256),
      'legacy!#$%&()*+-./:;<=>?@[]^_`{|}~key',
    ]) {
      expect(parseApiKey(legacy)).toEqual({ ok: true, key: legacy, format: 'legacy' })
    }
  })

  it('rejects legacy candidates that are too short, too long or contain forbidden characters', () => {
    for (const bad of [
      'abcdefghijklmno',
      'a'.repeat(257),
      'has a space inside it',
      'has"double"quotes-inside',
      "has'single'quotes-inside",
      'has,comma,inside,it,ok',
      'has\\backslash\\inside',
      'has\ttab-character-inside',
      'non-ascii-ключ-value-123',
      'control\u0000character-inside',
    ]) {
      expect(parseApiKey(bad), bad).toEqual({ ok: false, reason: 'malformed' })
    }
  })
})

describe('digestApiKey', () => {
  it('is lowercase hex SHA-256 of the UTF-8 key', () => {
    expect(digestApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(digestApiKey('ключ')).toBe(createHash('sha256').update(Buffer.from('ключ', 'utf8')).digest('hex'))
  })

  it('differs for keys that differ in one character', () => {
    const key = generateApiKey()
    expect(digestApiKey(key)).not.toBe(digestApiKey(`${key.slice(0, -1)}x`))
  })
})

describe('display parts and masking', () => {
  it('keeps gk_ plus 4 body chars and the last 4 chars of our keys', () => {
    const key = generateApiKey()
    const parts = apiKeyDisplayParts(key)
    expect(parts).toEqual({ prefix: key.slice(0, 7), last4: key.slice(-4) })
    expect(parts.prefix.startsWith('gk_')).toBe(true)
    expect(maskApiKey(parts.prefix, parts.last4)).toBe(`${key.slice(0, 7)}\u2026${key.slice(-4)}`)
  })

  it('keeps the first 4 and last 4 chars of legacy keys', () => {
    const parts = apiKeyDisplayParts('Xk3_9fQ-2LmZpR8tVw4nYb6s')
    expect(parts).toEqual({ prefix: 'Xk3_', last4: 'Yb6s' })
    expect(maskApiKey(parts.prefix, parts.last4)).toBe('Xk3_…Yb6s')
  })

  it('never shows the bulk of the key', () => {
    const key = generateApiKey()
    const { prefix, last4 } = apiKeyDisplayParts(key)
    expect(maskApiKey(prefix, last4)).not.toContain(key.slice(7, 48))
  })
})

describe('parseApiKey, the fast path', () => {
  // The reference: the key format as first written (regex, slices, BigInt base62 of the CRC-32).
  function reference(raw: string): string {
    if (!raw.startsWith(API_KEY_PREFIX)) return 'not ours'
    if (raw.length !== 52 || !/^[0-9A-Za-z]*$/.test(raw.slice(3))) return 'malformed'
    let value = BigInt(crc32(raw.slice(0, 46)))
    let digits = ''
    while (value > 0n) {
      digits = BASE62_ALPHABET.charAt(Number(value % 62n)) + digits
      value /= 62n
    }
    return digits.padStart(6, '0') === raw.slice(46) ? 'ok' : 'bad_checksum'
  }
  const verdict = (raw: string) => {
    const parsed = parseApiKey(raw)
    return parsed.ok ? 'ok' : parsed.reason
  }

  it('agrees with the reference on valid keys, typos, wrong characters and lengths', () => {
    for (let i = 0; i < 300; i++) {
      const key = generateApiKey()
      expect(verdict(key)).toBe(reference(key))
      const at = 3 + Math.floor(Math.random() * 49)
      for (const char of ['0', 'Z', 'z', '-', '_', 'é', ' ', '\u0000']) {
        const variant = key.slice(0, at) + char + key.slice(at + 1)
        expect(verdict(variant), variant).toBe(variant === key ? 'ok' : reference(variant))
      }
    }
  })

  it('accepts a key whose checksum needs leading zero digits', () => {
    // Search a body whose CRC-32 is below 62^5, so its checksum starts with '0'.
    for (let n = 0; ; n++) {
      const body = `gk_${String(n).padStart(43, 'A')}`
      const crc = crc32(body)
      if (crc < 62 ** 5) {
        let value = BigInt(crc)
        let digits = ''
        while (value > 0n) {
          digits = BASE62_ALPHABET.charAt(Number(value % 62n)) + digits
          value /= 62n
        }
        const key = body + digits.padStart(6, '0')
        expect(key.charAt(46)).toBe('0')
        expect(parseApiKey(key)).toEqual({ ok: true, key, format: 'gatekeeper' })
        return
      }
    }
  })
})
