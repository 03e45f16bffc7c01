import { describe, expect, it } from 'vitest'
import { generateSharedSecret } from './secret'

describe('generateSharedSecret', () => {
  it('is gks_ + 32 random bytes as unpadded base64url', () => {
    const secret = generateSharedSecret()
    expect(secret).toMatch(/^gks_[A-Za-z0-9_-]{43}$/)
    expect(Buffer.from(secret.slice(4), 'base64url')).toHaveLength(32)
  })

  it('never repeats', () => {
    const secrets = new Set(Array.from({ length: 2000 }, () => generateSharedSecret()))
    expect(secrets.size).toBe(2000)
  })
})
