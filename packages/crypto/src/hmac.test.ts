import vectors from '@gatekeeper/signer/vectors/hmac-v1'
import { describe, expect, it } from 'vitest'
import { verifyV1Signature } from './hmac'
import { parseHmacAuthorization } from './hmac-header'

type Vector = (typeof vectors.vectors)[number]

function bodyOf(v: Vector): string | Uint8Array {
  return v.body ?? new Uint8Array(Buffer.from(v.bodyBase64, 'base64'))
}

function inputOf(v: Vector) {
  return {
    secret: v.secret,
    method: v.method,
    path: v.path,
    timestamp: v.timestamp,
    nonce: v.nonce,
    body: bodyOf(v),
    signature: v.expectedSignature,
  }
}

function flipLastByte(body: string | Uint8Array): string | Uint8Array {
  if (typeof body === 'string') return `${body}x`
  const copy = new Uint8Array(body)
  copy[copy.length - 1] = (copy[copy.length - 1] ?? 0) ^ 0x01
  return copy
}

describe('verifyV1Signature against openssl vectors', () => {
  describe.each(vectors.vectors)('$name', (v) => {
    it('accepts the vector', () => {
      expect(verifyV1Signature(inputOf(v))).toBe(true)
    })

    it('accepts the signature in upper case hex', () => {
      expect(verifyV1Signature({ ...inputOf(v), signature: v.expectedSignature.toUpperCase() })).toBe(true)
    })

    it('accepts what the parser reads from the expected header', () => {
      const parsed = parseHmacAuthorization(v.expectedAuthorization)
      if (!parsed.ok) throw new Error(`header did not parse: ${parsed.reason}`)
      expect(parsed.params).toEqual({
        clientId: v.clientId,
        timestamp: v.timestamp,
        nonce: v.nonce,
        signature: v.expectedSignature,
      })
      expect(verifyV1Signature({ ...inputOf(v), ...parsed.params })).toBe(true)
    })

    it.each([
      ['method', { method: v.method.toUpperCase() === 'GET' ? 'HEAD' : 'GET' }],
      ['path', { path: `${v.path.split('?')[0]}/` }],
      ['path case', { path: v.path.toUpperCase() }],
      ['timestamp', { timestamp: v.timestamp + 1 }],
      ['nonce', { nonce: `${v.nonce.slice(0, -1)}${v.nonce.endsWith('0') ? '1' : '0'}` }],
      ['body', { body: flipLastByte(bodyOf(v)) }],
      ['secret', { secret: `${v.secret}x` }],
      [
        'signature',
        { signature: `${v.expectedSignature.slice(0, -1)}${v.expectedSignature.endsWith('0') ? '1' : '0'}` },
      ],
    ])('rejects a tampered %s', (_label, change) => {
      expect(verifyV1Signature({ ...inputOf(v), ...change })).toBe(false)
    })
  })

  it('accepts a lower-case method because the message upper-cases it', () => {
    const [v] = vectors.vectors
    if (v === undefined) throw new Error('no vectors')
    expect(verifyV1Signature({ ...inputOf(v), method: v.method.toLowerCase() })).toBe(true)
  })

  it.each([
    ['empty', ''],
    ['too short', 'abcd'],
    ['63 hex chars', 'a'.repeat(63)],
    ['65 hex chars', 'a'.repeat(65)],
    ['non-hex', 'z'.repeat(64)],
    ['base64 of the right bytes', 'n2Qand2KQEFL7lDusjC4R4tv8YFH4a+l8MXLz+tM5IU='],
  ])('returns false without throwing for a %s signature', (_label, signature) => {
    const [v] = vectors.vectors
    if (v === undefined) throw new Error('no vectors')
    expect(verifyV1Signature({ ...inputOf(v), signature })).toBe(false)
  })

  it('refuses an empty secret', () => {
    const [v] = vectors.vectors
    if (v === undefined) throw new Error('no vectors')
    expect(verifyV1Signature({ ...inputOf(v), secret: '' })).toBe(false)
  })
})
