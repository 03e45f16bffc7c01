import { describe, expect, it } from 'vitest'
import vectors from '../test/fixtures/aegis-webhook-vectors.json'
import { signAegisWebhook, verifyAegisWebhook } from './webhook'

type Vector = (typeof vectors.vectors)[number]

function inputOf(v: Vector) {
  return {
    secret: v.secret,
    signatureHeader: v.expectedSignatureHeader,
    timestampHeader: v.timestampHeader,
    rawBody: v.rawBody,
    nowSeconds: Number(v.timestampHeader),
  }
}

const first = vectors.vectors[0]
if (first === undefined) throw new Error('no webhook vectors')
const v0 = first
const ts0 = Number(v0.timestampHeader)

describe('Aegis webhooks against openssl vectors', () => {
  describe.each(vectors.vectors)('$name', (v) => {
    it('signAegisWebhook reproduces the header value', () => {
      expect(signAegisWebhook({ secret: v.secret, timestamp: v.timestampHeader, rawBody: v.rawBody })).toBe(
        v.expectedSignatureHeader,
      )
      expect(signAegisWebhook({ secret: v.secret, timestamp: Number(v.timestampHeader), rawBody: v.rawBody })).toBe(
        v.expectedSignatureHeader,
      )
    })

    it('verifies as text and as the raw bytes', () => {
      const timestamp = Number(v.timestampHeader)
      expect(verifyAegisWebhook(inputOf(v))).toEqual({ ok: true, timestamp })
      const rawBody = new Uint8Array(Buffer.from(v.rawBodyBase64, 'base64'))
      expect(verifyAegisWebhook({ ...inputOf(v), rawBody })).toEqual({ ok: true, timestamp })
    })
  })
})

describe('verifyAegisWebhook rejections', () => {
  const valid = inputOf(v0)

  it.each([
    ['a wrong secret', { secret: `${v0.secret}x` }, 'bad_signature'],
    ['an altered body', { rawBody: v0.rawBody.replace('"user"', '"admin"') }, 'bad_signature'],
    ['a re-serialised body', { rawBody: JSON.stringify(JSON.parse(v0.rawBody), null, 1) }, 'bad_signature'],
    ['a timestamp header changed after signing', { timestampHeader: String(ts0 + 1) }, 'bad_signature'],
    ['a signature for another body', { signatureHeader: vectors.vectors[1]?.expectedSignatureHeader }, 'bad_signature'],
    ['no secret configured', { secret: undefined }, 'missing_secret'],
    ['an empty secret', { secret: '' }, 'missing_secret'],
    ['no signature header', { signatureHeader: undefined }, 'missing_signature'],
    ['an empty signature header', { signatureHeader: '' }, 'missing_signature'],
    ['no timestamp header', { timestampHeader: null }, 'missing_timestamp'],
    ['a signature without sha256=', { signatureHeader: v0.expectedSignatureHeader.slice(7) }, 'malformed_signature'],
    [
      'another algorithm',
      { signatureHeader: v0.expectedSignatureHeader.replace('sha256', 'sha1') },
      'malformed_signature',
    ],
    ['a short signature', { signatureHeader: v0.expectedSignatureHeader.slice(0, -2) }, 'malformed_signature'],
    ['a non-hex signature', { signatureHeader: `sha256=${'g'.repeat(64)}` }, 'malformed_signature'],
    [
      'two signatures',
      { signatureHeader: `${v0.expectedSignatureHeader}, ${v0.expectedSignatureHeader}` },
      'malformed_signature',
    ],
    ['a negative timestamp', { timestampHeader: `-${v0.timestampHeader}` }, 'malformed_timestamp'],
    ['an exponent timestamp', { timestampHeader: '1.7e9' }, 'malformed_timestamp'],
    ['a millisecond timestamp', { timestampHeader: `${v0.timestampHeader}000` }, 'malformed_timestamp'],
    ['a padded timestamp', { timestampHeader: ` ${v0.timestampHeader}` }, 'malformed_timestamp'],
    ['a stale timestamp', { nowSeconds: ts0 + 301 }, 'stale_timestamp'],
    ['a future timestamp', { nowSeconds: ts0 - 301 }, 'stale_timestamp'],
    ['a NaN clock', { nowSeconds: Number.NaN }, 'stale_timestamp'],
  ])('rejects %s', (_label, change, reason) => {
    expect(verifyAegisWebhook({ ...valid, ...change })).toEqual({ ok: false, reason })
  })

  it('accepts the edges of the 300 s window and honours a custom tolerance', () => {
    expect(verifyAegisWebhook({ ...valid, nowSeconds: ts0 + 300 }).ok).toBe(true)
    expect(verifyAegisWebhook({ ...valid, nowSeconds: ts0 - 300 }).ok).toBe(true)
    expect(verifyAegisWebhook({ ...valid, nowSeconds: ts0 + 60, toleranceSeconds: 30 })).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    })
  })

  it('accepts an upper-case hex signature and prefix', () => {
    const upper = v0.expectedSignatureHeader.toUpperCase()
    expect(verifyAegisWebhook({ ...valid, signatureHeader: upper }).ok).toBe(true)
  })

  it('accepts a fresh re-signed retry of the same event', () => {
    const retryTs = ts0 + 3600
    const signatureHeader = signAegisWebhook({ secret: v0.secret, timestamp: retryTs, rawBody: v0.rawBody })
    expect(
      verifyAegisWebhook({ ...valid, signatureHeader, timestampHeader: String(retryTs), nowSeconds: retryTs + 5 }),
    ).toEqual({ ok: true, timestamp: retryTs })
  })
})
