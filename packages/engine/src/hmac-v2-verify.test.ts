import { signRequestV2 } from '@gatekeeper/crypto'
import { SCHEME_VERSIONS } from '@gatekeeper/crypto/testing'
import { describe, expect, it } from 'vitest'
import { HMAC_CRYPTO } from '../test/support/engine'
import { signatureScheme } from './hmac-v2-verify'
import { type HmacRequest, type HmacSecret, verifyHmacRequest } from './hmac-verify'

const crypto = HMAC_CRYPTO
const NOW_MS = 1_768_478_400_000
const CLIENT = 'c0ffee00-0000-4000-8000-000000000001'
const TARGET = '/api/things/7?b=2&a=1'
const BODY = '{"a":1}'

function sign(secret = 'gks_new', over: { timestamp?: number; body?: string } = {}) {
  return signRequestV2({
    clientId: CLIENT,
    secret,
    method: 'PUT',
    host: 'api.example.com',
    path: TARGET,
    body: over.body ?? BODY,
    timestamp: over.timestamp ?? NOW_MS / 1000,
    nonce: 'nonce-0001',
  })
}

const SECRETS: HmacSecret[] = [
  { secret: 'gks_new', expiresAtMs: Infinity },
  { secret: 'gks_old', expiresAtMs: NOW_MS + 1000 },
  { secret: 'gks_expired', expiresAtMs: NOW_MS },
]

function verify(signed: ReturnType<typeof sign>, over: Partial<HmacRequest> = {}) {
  return verifyHmacRequest(
    {
      header: signed.authorization,
      method: 'PUT',
      rawPath: '/api/things/7',
      body: '',
      nowMs: NOW_MS,
      host: 'api.example.com',
      rawTarget: TARGET,
      contentDigest: signed.contentDigest,
      ...over,
    },
    (id) => (id === CLIENT ? SECRETS : undefined),
    crypto,
  )
}

describe('verifyHmacRequest with a v2 header', () => {
  it('accepts it and returns the signed digest', () => {
    const signed = sign()
    expect(verify(signed)).toEqual({
      ok: true,
      clientId: CLIENT,
      nonce: 'nonce-0001',
      version: 2,
      contentDigest: signed.contentDigest,
      secret: SECRETS[0],
    })
  })

  it('tries every unexpired secret, as for v1', () => {
    expect(verify(sign('gks_old')).ok).toBe(true)
    expect(verify(sign('gks_expired'))).toMatchObject({ ok: false, logDetail: 'bad_signature', version: 2 })
  })

  it('fails closed without the raw target or host (the query could not be checked)', () => {
    expect(verify(sign(), { rawTarget: undefined })).toMatchObject({ ok: false, logDetail: 'missing_request_target' })
    expect(verify(sign(), { host: undefined })).toMatchObject({ ok: false, logDetail: 'missing_request_target' })
  })

  it('checks the body only when it was received', () => {
    const signed = sign()
    expect(verify(signed, { body: 'other', bodyReceived: false }).ok).toBe(true)
    expect(verify(signed, { body: BODY, bodyReceived: true }).ok).toBe(true)
    expect(verify(signed, { body: 'other', bodyReceived: true })).toMatchObject({
      ok: false,
      reason: 'invalid_credentials',
      logDetail: 'content_digest_mismatch',
      clientId: CLIENT,
    })
  })

  it('names the Content-Digest problems in the log detail', () => {
    const signed = sign()
    expect(verify(signed, { contentDigest: undefined })).toMatchObject({ logDetail: 'missing_content_digest' })
    expect(verify(signed, { contentDigest: 'sha-256=:x:' })).toMatchObject({ logDetail: 'malformed_content_digest' })
  })

  it('judges the timestamp after the signature, with the configured tolerance', () => {
    const stale = sign('gks_new', { timestamp: NOW_MS / 1000 - 61 })
    expect(verify(stale, { toleranceSeconds: 60 })).toMatchObject({ ok: false, reason: 'stale_timestamp', version: 2 })
    expect(verify(stale, { toleranceSeconds: 61 }).ok).toBe(true)
    const staleForged = sign('gks_wrong', { timestamp: NOW_MS / 1000 - 61 })
    expect(verify(staleForged, { toleranceSeconds: 60 })).toMatchObject({ reason: 'invalid_credentials' })
  })

  it('is not affected by requireV2, which only refuses v1', () => {
    expect(verify(sign(), { requireV2: true }).ok).toBe(true)
  })
})

describe('signatureScheme', () => {
  it.each(SCHEME_VERSIONS)('%s -> %s', (version, scheme) => {
    expect(signatureScheme(version)).toBe(scheme)
  })
})
