import { describe, expect, it } from 'vitest'
import { bearerToken } from './admin-auth'

describe('bearerToken', () => {
  it('reads an RFC 6750 bearer token', () => {
    expect(bearerToken('Bearer abc.DEF-123_~+/==')).toBe('abc.DEF-123_~+/==')
    expect(bearerToken('bearer abc')).toBeNull()
  })

  it('refuses anything ambiguous or malformed', () => {
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      'Basic abc',
      'abc',
      'Bearer a b',
      'Bearer a, Bearer a',
      'Bearer a\u0000',
    ]) {
      expect(bearerToken(header)).toBeNull()
    }
    expect(bearerToken(`Bearer ${'a'.repeat(5000)}`)).toBeNull()
  })
})
