import { createHmac } from 'node:crypto'
import vectors from '@gatekeeper/signer/vectors/hmac-v1'
import { describe, expect, it } from 'vitest'
import { hmacKey, verifyV1Signature } from './hmac'
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
    ['hex but for the last character', `${'a'.repeat(63)}z`],
    ['hex but for one character inside', `${'0'.repeat(31)}g${'0'.repeat(32)}`],
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

describe('verifyV1Signature with a prepared key', () => {
  describe.each(vectors.vectors)('$name', (v) => {
    const key = hmacKey(v.secret)

    it('accepts the vector, with the key as with the secret alone', () => {
      expect(verifyV1Signature({ ...inputOf(v), key })).toBe(true)
      expect(verifyV1Signature({ ...inputOf(v), key, signature: v.expectedSignature.toUpperCase() })).toBe(true)
    })

    it('rejects a tampered body or signature', () => {
      expect(verifyV1Signature({ ...inputOf(v), key, body: flipLastByte(bodyOf(v)) })).toBe(false)
      const signature = `${v.expectedSignature.slice(0, -1)}${v.expectedSignature.endsWith('0') ? '1' : '0'}`
      expect(verifyV1Signature({ ...inputOf(v), key, signature })).toBe(false)
    })

    it("rejects with another secret's key", () => {
      expect(verifyV1Signature({ ...inputOf(v), key: hmacKey(`${v.secret}x`) })).toBe(false)
    })
  })

  it('ignores a key that is not one', () => {
    const [v] = vectors.vectors
    if (v === undefined) throw new Error('no vectors')
    expect(verifyV1Signature({ ...inputOf(v), key: { inner: 'x' } })).toBe(true)
  })
})

describe('HmacKey.digest', () => {
  const reference = (secret: string, message: string | Uint8Array) =>
    createHmac('sha256', secret).update(message).digest('hex')

  it.each([
    ['a short secret', 'gks_abc'],
    ['a 64-byte secret (one block, no hashing)', 'k'.repeat(64)],
    ['a 65-byte secret (hashed to 32 bytes first)', 'k'.repeat(65)],
    ['a multi-byte secret', 'schlüssel-🔑'.repeat(4)],
  ])('is HMAC-SHA-256 for %s', (_label, secret) => {
    const key = hmacKey(secret)
    for (const message of ['', 'GET\n/a\n1\nnonce123\n', 'é€😀\ud800', new Uint8Array([0, 255, 128, 10])]) {
      expect(key.digest(message).toString('hex')).toBe(reference(secret, message))
    }
  })

  it('is HMAC-SHA-256 for messages longer than its in-place buffer, and for one after another', () => {
    const key = hmacKey('secret')
    const long = 'x'.repeat(200_000)
    const bytes = new Uint8Array(50_000).fill(7)
    expect(key.digest(long).toString('hex')).toBe(reference('secret', long))
    expect(key.digest(bytes).toString('hex')).toBe(reference('secret', bytes))
    expect(key.digest('short').toString('hex')).toBe(reference('secret', 'short'))
    // A second key in between must not leave its blocks behind for the first.
    expect(hmacKey('other').digest('short').toString('hex')).toBe(reference('other', 'short'))
    expect(key.digest('short').toString('hex')).toBe(reference('secret', 'short'))
  })
})
