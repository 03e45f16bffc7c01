import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { crc32, crc32InJs } from './crc32'

describe('crc32', () => {
  // Check values from the CRC catalogue (CRC-32/ISO-HDLC) and zlib.
  it.each([
    ['', 0x00000000],
    ['a', 0xe8b7be43],
    ['abc', 0x352441c2],
    ['123456789', 0xcbf43926],
    ['The quick brown fox jumps over the lazy dog', 0x414fa339],
  ])('crc32(%j) = %i', (input, expected) => {
    expect(crc32(input)).toBe(expected)
    expect(crc32InJs(input)).toBe(expected)
  })

  it('is the same natively and in JavaScript, for strings and bytes', () => {
    for (let i = 0; i < 500; i++) {
      const bytes = new Uint8Array(randomBytes(i % 97))
      expect(crc32(bytes)).toBe(crc32InJs(bytes))
      const text = `gk_${bytes.toString()}é${i}`
      expect(crc32(text)).toBe(crc32InJs(text))
    }
  })

  it('hashes strings as UTF-8 and equals the byte form', () => {
    expect(crc32('é')).toBe(crc32(new Uint8Array([0xc3, 0xa9])))
    expect(crc32('é')).not.toBe(crc32(new Uint8Array([0xe9])))
  })

  it('returns an unsigned 32-bit value', () => {
    const value = crc32(new Uint8Array([0xff, 0xff, 0xff, 0xff]))
    expect(value).toBe(0xffffffff)
    expect(value).toBeGreaterThan(0)
  })
})
