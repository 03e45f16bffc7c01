import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { HMAC_CRYPTO } from '../test/support/engine'
import { type HmacSecret, verifyHmacRequest } from './hmac-verify'

const crypto = HMAC_CRYPTO
const NOW_MS = 1_768_478_400_000 // 2026-01-15T12:00:00Z
const NOW_S = NOW_MS / 1000
const CLIENT = 'c0ffee00-0000-4000-8000-000000000001'
const SECRET = 'gks_current-secret'

/** Signed independently of @gatekeeper/crypto: the original algorithm written out with node:crypto. */
function sign(opts: { secret?: string; method?: string; path?: string; ts?: number; nonce?: string; body?: string }) {
  const { secret = SECRET, method = 'POST', path = '/api/things', ts = NOW_S, nonce = 'nonce-0001', body = '' } = opts
  const signature = createHmac('sha256', secret).update(`${method}\n${path}\n${ts}\n${nonce}\n${body}`).digest('hex')
  return `HMAC client_id="${CLIENT}",timestamp="${ts}",nonce="${nonce}",signature="${signature}"`
}

function verify(header: string, secrets: HmacSecret[] = [{ secret: SECRET, expiresAtMs: Infinity }], over = {}) {
  return verifyHmacRequest(
    { header, method: 'POST', rawPath: '/api/things', body: '', nowMs: NOW_MS, ...over },
    (id) => (id === CLIENT ? secrets : undefined),
    crypto,
  )
}

describe('verifyHmacRequest', () => {
  it('accepts a request signed with the original algorithm', () => {
    expect(verify(sign({}))).toEqual({
      ok: true,
      clientId: CLIENT,
      nonce: 'nonce-0001',
      version: 1,
      secret: { secret: SECRET, expiresAtMs: Infinity },
    })
  })

  it('signs over the raw path and the body', () => {
    const header = sign({ path: '/api/./things', body: '{"a":1}' })
    expect(verify(header, undefined, { rawPath: '/api/./things', body: '{"a":1}' }).ok).toBe(true)
    expect(verify(header, undefined, { rawPath: '/api/things', body: '{"a":1}' }).ok).toBe(false)
    expect(verify(header, undefined, { rawPath: '/api/./things', body: '{"a":2}' }).ok).toBe(false)
  })

  it.each([
    ['method', { method: 'DELETE' }],
    ['path', { rawPath: '/api/other' }],
    ['body', { body: 'x' }],
  ])('refuses a tampered %s', (_what, over) => {
    expect(verify(sign({}), undefined, over)).toMatchObject({ ok: false, reason: 'invalid_credentials' })
  })

  it('refuses a wrong secret and an unknown client alike', () => {
    expect(verify(sign({ secret: 'other' }))).toMatchObject({ ok: false, reason: 'invalid_credentials' })
    expect(verify(sign({}).replace(CLIENT, 'someone-else'))).toMatchObject({ ok: false, reason: 'invalid_credentials' })
  })

  it('tries every unexpired secret: a rotated-out secret keeps working until it expires', () => {
    const secrets = [
      { secret: 'new', expiresAtMs: Infinity },
      { secret: 'old', expiresAtMs: NOW_MS + 1000 },
      { secret: 'older', expiresAtMs: NOW_MS },
    ]
    expect(verify(sign({ secret: 'new' }), secrets).ok).toBe(true)
    expect(verify(sign({ secret: 'old' }), secrets).ok).toBe(true)
    expect(verify(sign({ secret: 'older' }), secrets)).toMatchObject({ ok: false, logDetail: 'bad_signature' })
  })

  it('allows 300 s of skew either way, not 301, and only reports staleness for a valid signature', () => {
    expect(verify(sign({ ts: NOW_S - 300 })).ok).toBe(true)
    expect(verify(sign({ ts: NOW_S + 300 })).ok).toBe(true)
    expect(verify(sign({ ts: NOW_S - 301 }))).toMatchObject({ ok: false, reason: 'stale_timestamp', clientId: CLIENT })
    expect(verify(sign({ ts: NOW_S + 301 }))).toMatchObject({ ok: false, reason: 'stale_timestamp' })
    expect(verify(sign({ ts: NOW_S - 301, secret: 'wrong' }))).toMatchObject({ reason: 'invalid_credentials' })
  })

  it('refuses malformed headers and unsupported versions', () => {
    expect(verify('HMAC client_id="x"')).toMatchObject({ ok: false, logDetail: 'malformed_hmac_header' })
    expect(verify(`${sign({})}, ${sign({})}`)).toMatchObject({ ok: false, reason: 'invalid_credentials' })
    expect(verify(`${sign({})},version="3"`)).toMatchObject({ ok: false, logDetail: 'unsupported_signature_version' })
    // A v1 signature relabelled as v2 is verified as v2, and fails.
    const relabelled = `${sign({})},version="2"`
    expect(verify(relabelled, undefined, { rawTarget: '/api/things', host: 'h.example' })).toMatchObject({
      ok: false,
      reason: 'invalid_credentials',
      version: 2,
    })
  })
})
