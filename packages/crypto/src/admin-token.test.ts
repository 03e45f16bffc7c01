import { describe, expect, it } from 'vitest'
import {
  generateAdminToken,
  generateSignInCode,
  isAdminTokenLike,
  parseAdminToken,
  parseSignInCode,
} from './admin-token'
import { generateApiKey, parseApiKey } from './api-key'

describe('admin tokens', () => {
  it('are 53-char gka_ values that parse, with a checksum that catches a typo', () => {
    const token = generateAdminToken()
    expect(token).toMatch(/^gka_[0-9A-Za-z]{49}$/)
    expect(isAdminTokenLike(token)).toBe(true)
    expect(parseAdminToken(token)).toEqual({ ok: true })
    const last = token.at(-1) === 'A' ? 'B' : 'A'
    expect(parseAdminToken(token.slice(0, -1) + last)).toEqual({ ok: false, reason: 'bad_checksum' })
    expect(parseAdminToken(token.slice(0, -1))).toEqual({ ok: false, reason: 'malformed' })
  })

  it('are not API keys or sign-in codes, and the reverse', () => {
    const token = generateAdminToken()
    expect(parseApiKey(token)).toEqual({ ok: true, key: token, format: 'legacy' })
    expect(parseSignInCode(token).ok).toBe(false)
    expect(parseAdminToken(generateApiKey()).ok).toBe(false)
    expect(parseAdminToken(generateSignInCode()).ok).toBe(false)
    expect(isAdminTokenLike(generateSignInCode())).toBe(false)
  })

  it('sign-in codes are gkl_ values with their own checksum', () => {
    const code = generateSignInCode()
    expect(code).toMatch(/^gkl_[0-9A-Za-z]{49}$/)
    expect(parseSignInCode(code)).toEqual({ ok: true })
    expect(parseSignInCode(`${code.slice(0, 10)}x${code.slice(11)}`).ok).toBe(false)
  })
})
