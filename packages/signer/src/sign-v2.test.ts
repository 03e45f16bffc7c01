import { describe, expect, it } from 'vitest'
import { UNSIGNABLE_IDENTITIES } from '../test/support/unsignable'
import vectors from '../test/vectors/hmac-v2.json'
import { buildV2Canonical, tryBuildV2Canonical } from './canonical-v2'
import { contentDigestFor } from './content-digest'
import { computeV2Signature, signRequestV2 } from './sign-v2'

type Vector = (typeof vectors.vectors)[number]

function bodyOf(v: Vector): string | Uint8Array {
  return v.body ?? new Uint8Array(Buffer.from(v.bodyBase64, 'base64'))
}

function expectedResult(v: Vector) {
  return {
    authorization: v.expected.authorization,
    contentDigest: v.expected.contentDigest,
    headers: { Authorization: v.expected.authorization, 'Content-Digest': v.expected.contentDigest },
    timestamp: v.timestamp,
    nonce: v.nonce,
    signature: v.expected.signature,
    canonical: v.expected.canonical,
  }
}

describe('v2 signing against the hand-derived, openssl-signed vectors', () => {
  it('has the vectors the issue asks for', () => {
    expect(vectors.vectors.length).toBeGreaterThanOrEqual(8)
  })

  describe.each(vectors.vectors)('$name', (v) => {
    const common = { clientId: v.clientId, secret: v.secret, method: v.method, timestamp: v.timestamp, nonce: v.nonce }

    it('computes the body digest', () => {
      expect(contentDigestFor(bodyOf(v))).toBe(v.expected.contentDigest)
    })

    it('builds each canonical line and the whole string', () => {
      const built = tryBuildV2Canonical({
        clientId: v.clientId,
        method: v.method,
        host: v.host,
        path: v.target,
        timestamp: v.timestamp,
        nonce: v.nonce,
        contentDigest: v.expected.contentDigest,
      })
      expect(built).toEqual({
        ok: true,
        value: {
          canonical: v.expected.canonical,
          method: v.expected.method,
          host: v.expected.host,
          path: v.expected.path,
          query: v.expected.query,
          contentDigest: v.expected.contentDigest,
        },
      })
    })

    it('signs the canonical string to the expected signature', () => {
      expect(computeV2Signature(v.secret, v.expected.canonical)).toBe(v.expected.signature)
    })

    it('signRequestV2 from the URL reproduces everything byte for byte', () => {
      expect(signRequestV2({ ...common, url: v.url, body: bodyOf(v) })).toEqual(expectedResult(v))
    })

    it('signRequestV2 from host and path reproduces everything byte for byte', () => {
      expect(signRequestV2({ ...common, host: v.host, path: v.target, body: bodyOf(v) })).toEqual(expectedResult(v))
    })

    it('signs the wire form of the target (as the server sees it) the same', () => {
      const canonical = buildV2Canonical({
        clientId: v.clientId,
        method: v.method,
        host: v.expected.host,
        path: v.requestTarget,
        timestamp: v.timestamp,
        nonce: v.nonce,
        contentDigest: v.expected.contentDigest,
      })
      expect(canonical).toBe(v.expected.canonical)
    })
  })
})

describe('signRequestV2 inputs', () => {
  const base = { clientId: 'client-1', secret: 'gks_secret', method: 'GET', timestamp: 1700000000, nonce: 'nonce-0001' }

  it('uses now in epoch seconds and a random UUID nonce by default', () => {
    const before = Math.floor(Date.now() / 1000)
    const signed = signRequestV2({ clientId: 'c', secret: 's', method: 'GET', url: 'https://h.example/x' })
    expect(signed.timestamp).toBeGreaterThanOrEqual(before)
    expect(signed.timestamp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000))
    expect(signed.nonce).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('signs a missing body as the empty body, whose digest is still sent', () => {
    const none = signRequestV2({ ...base, url: 'https://h.example/x' })
    expect(none.contentDigest).toBe('sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:')
    expect(signRequestV2({ ...base, url: 'https://h.example/x', body: '' }).signature).toBe(none.signature)
    expect(signRequestV2({ ...base, url: 'https://h.example/x', body: ' ' }).signature).not.toBe(none.signature)
  })

  it('accepts the query as a raw string, an object or pairs, all meaning the same request', () => {
    const fromPath = signRequestV2({ ...base, host: 'h.example', path: '/s?tag=b&q=a+b&tag=a' })
    const raw = signRequestV2({ ...base, host: 'h.example', path: '/s', query: 'q=a%20b&tag=b&tag=a' })
    const object = signRequestV2({ ...base, host: 'h.example', path: '/s', query: { tag: ['b', 'a'], q: 'a b' } })
    const pairs = signRequestV2({
      ...base,
      host: 'h.example',
      path: '/s',
      query: [
        ['tag', 'b'],
        ['q', 'a b'],
        ['tag', 'a'],
      ],
    })
    expect(new Set([fromPath.signature, raw.signature, object.signature, pairs.signature]).size).toBe(1)
    expect(fromPath.canonical.split('\n')[4]).toBe('q=a%20b&tag=b&tag=a')
  })

  it('takes decoded parameters as text: a literal + or % is encoded, not read as an escape', () => {
    const signed = signRequestV2({ ...base, host: 'h.example', path: '/s', query: { q: 'a+b 100%' } })
    expect(signed.canonical.split('\n')[4]).toBe('q=a%2Bb%20100%25')
  })

  it('accepts a URL object', () => {
    const url = new URL('https://h.example/a?b=1')
    expect(signRequestV2({ ...base, url }).signature).toBe(signRequestV2({ ...base, url: url.href }).signature)
  })

  it.each([
    ...UNSIGNABLE_IDENTITIES,
    ['a method with a space', { method: 'GET X' }],
    ['a method with a newline', { method: 'GET\n' }],
    ['a fractional timestamp', { timestamp: 1.5 }],
    ['a short nonce', { nonce: 'abc' }],
    ['a relative path', { path: 'api/x' }],
    ['a path above the root', { path: '/a/../../b' }],
    ['an invalid escape in the path', { path: '/a%zz' }],
    ['an invalid escape in the query', { path: '/a?x=%4' }],
    ['a fragment', { path: '/a#top' }],
    ['a query both in the path and given apart', { path: '/a?x=1', query: 'y=2' }],
    ['a host with userinfo', { host: 'user@h.example' }],
    ['a host with a path', { host: 'h.example/x' }],
    ['two hosts', { host: 'a.example,b.example' }],
    ['a non-numeric port', { host: 'h.example:http' }],
  ])('throws instead of emitting an unverifiable request for %s', (_label, override) => {
    expect(() => signRequestV2({ ...base, host: 'h.example', path: '/x', ...override })).toThrow(TypeError)
  })

  it('throws for a URL without a host', () => {
    expect(() => signRequestV2({ ...base, url: 'mailto:someone@example.com' })).toThrow(TypeError)
  })
})
