import { buildV1Message, computeV1Signature, contentDigestFor, signRequestV2 } from '@gatekeeper/signer'
import vectors from '@gatekeeper/signer/vectors/hmac-v2'
import { describe, expect, it } from 'vitest'
import { SCHEME_VERSIONS } from '../test/support/scheme-versions'
import { hmacKey } from './hmac'
import { parseHmacAuthorization } from './hmac-header'
import {
  hmacSchemeVersion,
  matchesV2Signature,
  prepareV2Verification,
  type VerifyV2Input,
  verifyV2Signature,
} from './hmac-v2'

describe('verifyV2Signature over the shared vectors', () => {
  describe.each(vectors.vectors)('$name', (v) => {
    const parsed = parseHmacAuthorization(v.expected.authorization)
    if (!parsed.ok) throw new Error(`vector header does not parse: ${parsed.reason}`)
    const p = parsed.params
    const input: VerifyV2Input = {
      secret: v.secret,
      clientId: p.clientId,
      method: v.expected.method,
      host: v.host,
      rawPathAndQuery: v.requestTarget,
      contentDigest: v.expected.contentDigest,
      timestamp: p.timestamp,
      nonce: p.nonce,
      signature: p.signature,
    }

    it('parses as a version 2 header', () => {
      expect(hmacSchemeVersion(p.version)).toBe(2)
    })

    it('verifies from the wire form and hands back the digest to pass upstream', () => {
      expect(verifyV2Signature(input)).toEqual({ ok: true, contentDigest: v.expected.contentDigest })
    })

    it('verifies with the body when the verifier has it', () => {
      const body = v.body ?? new Uint8Array(Buffer.from(v.bodyBase64, 'base64'))
      expect(verifyV2Signature({ ...input, body }).ok).toBe(true)
    })

    it('refuses another secret', () => {
      expect(verifyV2Signature({ ...input, secret: `${v.secret}x` })).toEqual({ ok: false, reason: 'bad_signature' })
    })

    it('matches with a prepared key as with the secret, and only with its own', () => {
      const prepared = prepareV2Verification(input)
      if (!prepared.ok) throw new Error(prepared.reason)
      expect(matchesV2Signature(v.secret, prepared.message, p.signature, hmacKey(v.secret))).toBe(true)
      expect(matchesV2Signature(v.secret, prepared.message, p.signature.toUpperCase(), hmacKey(v.secret))).toBe(true)
      expect(matchesV2Signature(v.secret, prepared.message, p.signature, hmacKey(`${v.secret}x`))).toBe(false)
      expect(matchesV2Signature(v.secret, prepared.message, `${p.signature.slice(0, -1)}g`, hmacKey(v.secret))).toBe(
        false,
      )
    })
  })
})

// One signed request and its server-side view; each test changes one thing an attacker could change.
const NOW = 1_768_478_400
const SECRET = 'gks_current-secret'
const BODY = '{"amount":100,"to":"alice"}'
const signed = signRequestV2({
  clientId: 'client-1',
  secret: SECRET,
  method: 'POST',
  url: 'https://api.example.com/api/transfers?dry_run=false&tag=a&tag=b&note=a%2Bb',
  body: BODY,
  timestamp: NOW,
  nonce: 'nonce-0001',
})
const base: VerifyV2Input = {
  secret: SECRET,
  clientId: 'client-1',
  method: 'POST',
  host: 'api.example.com',
  rawPathAndQuery: '/api/transfers?dry_run=false&tag=a&tag=b&note=a%2Bb',
  contentDigest: signed.contentDigest,
  timestamp: NOW,
  nonce: 'nonce-0001',
  signature: signed.signature,
  body: BODY,
  nowSeconds: NOW,
}

function verify(over: Partial<VerifyV2Input>) {
  return verifyV2Signature({ ...base, ...over })
}

describe('v2 rejects every tampering it covers', () => {
  it('accepts the request as signed', () => {
    expect(verify({})).toEqual({ ok: true, contentDigest: signed.contentDigest })
  })

  it.each([
    ['another host', { host: 'evil.example.com' }],
    ['a sibling host', { host: 'api.example.com.evil.example' }],
    ['another method', { method: 'PUT' }],
    ['another path', { rawPathAndQuery: '/api/transfer?dry_run=false&tag=a&tag=b&note=a%2Bb' }],
    ['a parameter added', { rawPathAndQuery: `${base.rawPathAndQuery}&admin=1` }],
    ['a parameter removed', { rawPathAndQuery: '/api/transfers?tag=a&tag=b&note=a%2Bb' }],
    ['a repeated parameter removed', { rawPathAndQuery: '/api/transfers?dry_run=false&tag=a&note=a%2Bb' }],
    ['a value changed', { rawPathAndQuery: '/api/transfers?dry_run=true&tag=a&tag=b&note=a%2Bb' }],
    [
      'the values of a repeated name reordered',
      { rawPathAndQuery: '/api/transfers?dry_run=false&tag=b&tag=a&note=a%2Bb' },
    ],
    [
      '%2B re-encoded as + (plus becomes space)',
      { rawPathAndQuery: '/api/transfers?dry_run=false&tag=a&tag=b&note=a+b' },
    ],
    ['= re-encoded as a separator', { rawPathAndQuery: '/api/transfers?dry_run=false&tag=a&tag=b&note=a%2Bb&x' }],
    ['& decoded into two parameters', { rawPathAndQuery: '/api/transfers?dry_run=false%26tag%3Da&tag=b&note=a%2Bb' }],
    ['the query moved into the path', { rawPathAndQuery: '/api/transfers%3Fdry_run=false&tag=a&tag=b&note=a%2Bb' }],
    ['another client id', { clientId: 'client-2' }],
    ['another timestamp', { timestamp: NOW + 1 }],
    ['another nonce', { nonce: 'nonce-0002' }],
    [
      'a digest of another body',
      { contentDigest: contentDigestFor('{"amount":100000,"to":"mallory"}'), body: undefined },
    ],
    ['the empty-body digest', { contentDigest: contentDigestFor(''), body: undefined }],
  ])('%s: bad_signature', (_label, over) => {
    expect(verify(over)).toEqual({ ok: false, reason: 'bad_signature' })
  })

  it.each([
    ['reordered across names', '/api/transfers?tag=a&note=a%2Bb&dry_run=false&tag=b'],
    ['re-encoded equivalently', '/api/transfers?dry%5Frun=fals%65&tag=%61&tag=b&note=a%2bb'],
    ['with an empty piece', '/api/transfers?dry_run=false&&tag=a&tag=b&note=a%2Bb&'],
    ['with a dot segment and a double slash', '/api/./v0/..//transfers?dry_run=false&tag=a&tag=b&note=a%2Bb'],
  ])('the same request %s still verifies (it means the same to the upstream)', (_label, rawPathAndQuery) => {
    expect(verify({ rawPathAndQuery }).ok).toBe(true)
  })

  it('host case, port and trailing dot are not signed (authz routes on the bare host)', () => {
    expect(verify({ host: 'API.example.com:8443' }).ok).toBe(true)
    expect(verify({ host: 'api.example.com.' }).ok).toBe(true)
  })

  it('a changed body under the signed digest header: content_digest_mismatch', () => {
    expect(verify({ body: '{"amount":100000,"to":"mallory"}' })).toEqual({
      ok: false,
      reason: 'content_digest_mismatch',
    })
    expect(verify({ body: '' })).toEqual({ ok: false, reason: 'content_digest_mismatch' })
  })

  it('without the body (behind nginx) it verifies over the declared digest, for the upstream to check', () => {
    expect(verify({ body: undefined })).toEqual({ ok: true, contentDigest: signed.contentDigest })
  })

  it('stale timestamps: 300 s of skew either way, not 301, judged only for a valid signature', () => {
    expect(verify({ nowSeconds: NOW + 300 }).ok).toBe(true)
    expect(verify({ nowSeconds: NOW - 300 }).ok).toBe(true)
    expect(verify({ nowSeconds: NOW + 301 })).toEqual({ ok: false, reason: 'stale_timestamp' })
    expect(verify({ nowSeconds: NOW - 301 })).toEqual({ ok: false, reason: 'stale_timestamp' })
    expect(verify({ nowSeconds: NOW + 60, toleranceSeconds: 30 })).toEqual({ ok: false, reason: 'stale_timestamp' })
    expect(verify({ nowSeconds: NOW + 301, secret: 'wrong' })).toEqual({ ok: false, reason: 'bad_signature' })
    expect(verify({ nowSeconds: Number.NaN })).toEqual({ ok: false, reason: 'stale_timestamp' })
  })

  it('Content-Digest is required, even for an empty body', () => {
    expect(verify({ contentDigest: undefined })).toEqual({ ok: false, reason: 'missing_content_digest' })
    expect(verify({ contentDigest: ' ' })).toEqual({ ok: false, reason: 'missing_content_digest' })
    expect(verify({ contentDigest: 'sha-512=:AAAA:' })).toEqual({ ok: false, reason: 'invalid_content_digest' })
    expect(verify({ contentDigest: 'sha-256=abc' })).toEqual({ ok: false, reason: 'invalid_content_digest' })
  })

  it('another spelling of the same digest verifies; the canonical form is what goes upstream', () => {
    const spelled = `sha-512=:AAAA:,  ${signed.contentDigest.replace(/=:$/, ':')};x=1`
    expect(verify({ contentDigest: spelled })).toEqual({ ok: true, contentDigest: signed.contentDigest })
  })

  it('reads the target one character per byte, as node hands over header values', () => {
    const s = signRequestV2({
      clientId: 'c',
      secret: SECRET,
      method: 'GET',
      url: 'https://h.example/café',
      timestamp: NOW,
      nonce: 'nonce-0003',
    })
    const wire = { ...base, clientId: 'c', method: 'GET', host: 'h.example', timestamp: NOW, nonce: 'nonce-0003' }
    const common = { ...wire, contentDigest: s.contentDigest, signature: s.signature, body: undefined }
    expect(verifyV2Signature({ ...common, rawPathAndQuery: '/caf%C3%A9' }).ok).toBe(true)
    expect(verifyV2Signature({ ...common, rawPathAndQuery: '/caf\u00c3\u00a9' }).ok).toBe(true)
    expect(
      verifyV2Signature({ ...common, rawPathAndQuery: new Uint8Array([0x2f, 0x63, 0x61, 0x66, 0xc3, 0xa9]) }).ok,
    ).toBe(true)
    expect(verifyV2Signature({ ...common, rawPathAndQuery: '/caf\u00e9' }).ok).toBe(false)
    expect(verifyV2Signature({ ...common, rawPathAndQuery: '/caf\u0101' })).toEqual({
      ok: false,
      reason: 'invalid_request_target',
    })
  })

  it.each([
    ['an unparseable path', { rawPathAndQuery: '/a/%zz' }, 'invalid_percent_encoding'],
    ['a path above the root', { rawPathAndQuery: '/../x' }, 'path_above_root'],
    ['a relative target', { rawPathAndQuery: 'api/transfers' }, 'invalid_path'],
    ['a bad host', { host: 'a b' }, 'invalid_host'],
    ['a bad method', { method: 'PO ST' }, 'invalid_method'],
    ['a malformed signature', { signature: 'zz' }, 'bad_signature'],
    ['an empty secret', { secret: '' }, 'bad_signature'],
  ])('%s is refused without throwing', (_label, over, reason) => {
    expect(verify(over)).toEqual({ ok: false, reason })
  })

  it('a v1 signature over the same request never verifies as v2 (and the marker keeps the two apart)', () => {
    const v1 = computeV1Signature(
      SECRET,
      buildV1Message({ method: 'POST', path: '/api/transfers', timestamp: NOW, nonce: 'nonce-0001', body: BODY }),
    )
    expect(verify({ signature: v1 })).toEqual({ ok: false, reason: 'bad_signature' })
    const prepared = prepareV2Verification(base)
    expect(prepared.ok && prepared.canonical.startsWith('gk-hmac-v2\n')).toBe(true)
  })
})

describe('hmacSchemeVersion', () => {
  it.each([...SCHEME_VERSIONS, ['2.0', undefined] as const])('%s -> %s', (version, expected) => {
    expect(hmacSchemeVersion(version)).toBe(expected)
  })
})
