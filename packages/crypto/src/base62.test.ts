import { describe, expect, it } from 'vitest'
import { BASE62_ALPHABET, bytesToBigInt, encodeBase62, encodeBase62Number } from './base62'

function decodeBase62(text: string): bigint {
  let value = 0n
  for (const char of text) value = value * 62n + BigInt(BASE62_ALPHABET.indexOf(char))
  return value
}

describe('base62', () => {
  it('has 62 distinct alphanumeric digits', () => {
    expect(new Set(BASE62_ALPHABET).size).toBe(62)
    expect(BASE62_ALPHABET).toMatch(/^[0-9A-Za-z]{62}$/)
  })

  it('encodes known values, left-padded', () => {
    expect(encodeBase62(0n, 3)).toBe('000')
    expect(encodeBase62(61n, 2)).toBe('0z')
    expect(encodeBase62(62n, 2)).toBe('10')
    expect(encodeBase62(62n ** 6n - 1n, 6)).toBe('zzzzzz')
  })

  it('fits the largest 256-bit value in 43 digits and round-trips it', () => {
    const max = 2n ** 256n - 1n
    const encoded = encodeBase62(max, 43)
    expect(encoded).toHaveLength(43)
    expect(decodeBase62(encoded)).toBe(max)
  })

  it('fits any CRC-32 in 6 digits', () => {
    expect(encodeBase62(0xffffffffn, 6)).toHaveLength(6)
  })

  it('refuses a value wider than the requested width', () => {
    expect(() => encodeBase62(62n ** 3n, 3)).toThrow(RangeError)
  })

  it('reads bytes big-endian', () => {
    expect(bytesToBigInt(new Uint8Array([0x01, 0x00]))).toBe(256n)
    expect(bytesToBigInt(new Uint8Array(32).fill(0xff))).toBe(2n ** 256n - 1n)
  })
})

describe('encodeBase62Number', () => {
  it('matches the BigInt encoding over the CRC-32 range', () => {
    for (const value of [0, 1, 61, 62, 3843, 3844, 2 ** 31, 2 ** 32 - 1, 123456789]) {
      expect(encodeBase62Number(value, 6)).toBe(encodeBase62(BigInt(value), 6))
    }
    for (let i = 0; i < 2000; i++) {
      const value = Math.floor(Math.random() * 2 ** 32)
      expect(encodeBase62Number(value, 6)).toBe(encodeBase62(BigInt(value), 6))
    }
  })

  it('refuses what it cannot encode exactly', () => {
    expect(() => encodeBase62Number(-1, 6)).toThrow(RangeError)
    expect(() => encodeBase62Number(1.5, 6)).toThrow(RangeError)
    expect(() => encodeBase62Number(62 ** 6, 6)).toThrow(RangeError)
  })
})
