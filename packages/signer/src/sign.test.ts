import { describe, expect, it } from 'vitest'
import { UNSIGNABLE_IDENTITIES } from '../test/support/unsignable'
import vectors from '../test/vectors/hmac-v1.json'
import { formatV1Authorization } from './header'
import { buildV1Message, buildV1MessageBytes } from './message'
import { computeV1Signature, signRequestV1 } from './sign'

type Vector = (typeof vectors.vectors)[number]

// A vector's body as the signer receives it: text, or raw bytes when the body is not valid UTF-8.
function bodyOf(v: Vector): string | Uint8Array {
  return v.body ?? new Uint8Array(Buffer.from(v.bodyBase64, 'base64'))
}

describe('v1 signing against openssl vectors', () => {
  it('has the vectors the fixture script writes', () => {
    expect(vectors.vectors.length).toBeGreaterThanOrEqual(6)
  })

  describe.each(vectors.vectors)('$name', (v) => {
    it('builds the expected message bytes', () => {
      const bytes = buildV1MessageBytes({ ...v, body: bodyOf(v) })
      expect(Buffer.from(bytes).toString('base64')).toBe(v.expectedMessageBase64)
      if (v.body !== null) expect(buildV1Message({ ...v, body: v.body })).toBe(v.expectedMessage)
    })

    it('computes the expected signature from the message', () => {
      const message = Buffer.from(v.expectedMessageBase64, 'base64')
      expect(computeV1Signature(v.secret, message)).toBe(v.expectedSignature)
      if (v.expectedMessage !== null) expect(computeV1Signature(v.secret, v.expectedMessage)).toBe(v.expectedSignature)
    })

    it('signRequestV1 reproduces the signature and the Authorization header byte for byte', () => {
      const signed = signRequestV1({
        clientId: v.clientId,
        secret: v.secret,
        method: v.method,
        path: v.path,
        body: bodyOf(v),
        timestamp: v.timestamp,
        nonce: v.nonce,
      })
      expect(signed).toEqual({
        authorization: v.expectedAuthorization,
        timestamp: v.timestamp,
        nonce: v.nonce,
        signature: v.expectedSignature,
      })
    })

    if (v.body !== null) {
      const text = v.body
      it('signs a text body and its UTF-8 bytes alike', () => {
        const base = { clientId: v.clientId, secret: v.secret, method: v.method, path: v.path }
        const fromText = signRequestV1({ ...base, body: text, timestamp: v.timestamp, nonce: v.nonce })
        const fromBytes = signRequestV1({
          ...base,
          body: new TextEncoder().encode(text),
          timestamp: v.timestamp,
          nonce: v.nonce,
        })
        expect(fromBytes.signature).toBe(fromText.signature)
      })
    }
  })
})

describe('signRequestV1 defaults', () => {
  const base = { clientId: 'client-1', secret: 'gks_secret', method: 'GET', path: '/x' }

  it('uses now in epoch seconds and a random UUID nonce', () => {
    const before = Math.floor(Date.now() / 1000)
    const signed = signRequestV1(base)
    const after = Math.floor(Date.now() / 1000)
    expect(signed.timestamp).toBeGreaterThanOrEqual(before)
    expect(signed.timestamp).toBeLessThanOrEqual(after)
    expect(signed.nonce).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(signRequestV1(base).nonce).not.toBe(signed.nonce)
  })

  it('treats a missing body as the empty string', () => {
    const fixed = { ...base, timestamp: 1700000000, nonce: 'nonce-0001' }
    expect(signRequestV1(fixed).signature).toBe(signRequestV1({ ...fixed, body: '' }).signature)
    expect(signRequestV1(fixed).signature).not.toBe(signRequestV1({ ...fixed, body: ' ' }).signature)
  })

  it('formats the header exactly like the original system', () => {
    expect(formatV1Authorization({ clientId: 'c', timestamp: 1, nonce: 'nnnnnnnn', signature: 'ab' })).toBe(
      'HMAC client_id="c",timestamp="1",nonce="nnnnnnnn",signature="ab"',
    )
  })

  it.each([
    ...UNSIGNABLE_IDENTITIES,
    ['a client id with a comma', { clientId: 'a,b' }],
    ['a fractional timestamp', { timestamp: 1700000000.5 }],
    ['a negative timestamp', { timestamp: -1 }],
    ['a 13-digit timestamp (milliseconds)', { timestamp: 1700000000000 }],
    ['a short nonce', { nonce: 'abc' }],
    ['a nonce with a space', { nonce: 'abc defgh' }],
  ])('throws instead of emitting an unverifiable header for %s', (_label, override) => {
    expect(() => signRequestV1({ ...base, ...override })).toThrow()
  })
})
