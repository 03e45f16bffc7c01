// HMAC v2 through /authz: every tampering v2 covers is refused, behind nginx (no body) and for a direct
// caller posting the body; v1 keeps working where allowed and is refused where a method requires v2.

import { contentDigestFor, signRequestV1, signRequestV2 } from '@gatekeeper/crypto'
import { EngineState, type RouteMethodInput } from '@gatekeeper/engine'
import { HMAC, makeClient, makePermission, makeRoute, makeSecret } from '@gatekeeper/engine/testing'
import { describe, expect, it } from 'vitest'
import { makeTestWorld } from '../test/support/world'
import { createApp } from './app'

const HOST = 'api.example.com'
const OTHER_HOST = 'billing.example.com'
const HMAC_V2: RouteMethodInput = { auth_required: true, auth_type: 'hmac', signature_version: 'v2' }
const TARGET = '/api/orders/42?dry_run=false&tag=a&tag=b&note=a%2Bb'
const BODY = '{"amount":100,"to":"alice"}'

function setup() {
  const w = makeTestWorld()
  // A whole second, so the ±300 s boundary is exact.
  w.engine.clock.nowMs = Math.floor(w.engine.clock.nowMs / 1000) * 1000
  const state = w.snapshot.state ?? new EngineState()
  // The same path on two hosts, both granted to the client: only the signature can tell them apart.
  const methods = { GET: HMAC, DELETE: HMAC, POST: HMAC_V2, PATCH: HMAC_V2 }
  const route = makeRoute({ domain: HOST, routePattern: '/api/orders/*', methods })
  const other = makeRoute({ domain: OTHER_HOST, routePattern: '/api/orders/*', methods })
  const client = makeClient()
  const secret = makeSecret(client.id)
  state.upsertRoute(route)
  state.upsertRoute(other)
  state.upsertClient(client)
  state.upsertCredential(secret)
  for (const r of [route, other])
    state.upsertPermission(makePermission(client.id, r.id, ['GET', 'DELETE', 'POST', 'PATCH']))
  const app = createApp(w.deps)
  const now = () => Math.floor(w.engine.clock.nowMs / 1000)
  let nonces = 0

  function signV2(opts: { method?: string; target?: string; body?: string; timestamp?: number; nonce?: string } = {}) {
    return signRequestV2({
      clientId: client.id,
      secret: secret.secret ?? '',
      method: opts.method ?? 'POST',
      host: HOST,
      path: opts.target ?? TARGET,
      body: opts.body ?? BODY,
      timestamp: opts.timestamp ?? now(),
      nonce: opts.nonce ?? `v2-nonce-${++nonces}`,
    })
  }

  /** The auth subrequest nginx would send for a client request carrying `signed`'s headers. */
  function headers(signed: { authorization: string; contentDigest: string }, over: Record<string, string> = {}) {
    return {
      'X-Original-URI': TARGET,
      'X-Original-Method': 'POST',
      'X-Original-Host': HOST,
      Authorization: signed.authorization,
      'Content-Digest': signed.contentDigest,
      ...over,
    }
  }

  function authz(h: Record<string, string> | [string, string][], body?: string) {
    const init: RequestInit = body === undefined ? { method: 'GET' } : { method: 'POST', body }
    return app.request('/authz', { ...init, headers: new Headers(h) })
  }

  return { w, app, client, secret, signV2, headers, authz, now }
}

async function expectDenied(res: Response, status: number, reason: string): Promise<void> {
  expect(res.status).toBe(status)
  expect(res.headers.get('x-auth-reason')).toBe(reason)
  expect(res.headers.get('x-auth-content-digest')).toBeNull()
}

describe('/authz HMAC v2 behind nginx (no body)', () => {
  it('allows a signed request and returns the signed digest for the upstream', async () => {
    const s = setup()
    const signed = s.signV2()
    const res = await s.authz(s.headers(signed))
    expect(res.status).toBe(200)
    expect(res.headers.get('x-auth-client-id')).toBe(s.client.id)
    expect(res.headers.get('x-auth-content-digest')).toBe(contentDigestFor(BODY))
  })

  it('passes the digest on in canonical form whatever spelling the client used', async () => {
    const s = setup()
    const signed = s.signV2()
    const spelled = `sha-512=:AAAA:, ${signed.contentDigest.replace(/=:$/, ':')}`
    const res = await s.authz(s.headers(signed, { 'Content-Digest': spelled }))
    expect(res.status).toBe(200)
    expect(res.headers.get('x-auth-content-digest')).toBe(signed.contentDigest)
  })

  it.each([
    ['host swapped (a route the client may also use)', { 'X-Original-Host': OTHER_HOST }],
    ['method changed', { 'X-Original-Method': 'PATCH' }],
    ['path changed', { 'X-Original-URI': TARGET.replace('/42', '/43') }],
    ['query parameter added', { 'X-Original-URI': `${TARGET}&admin=1` }],
    ['query parameter removed', { 'X-Original-URI': '/api/orders/42?tag=a&tag=b&note=a%2Bb' }],
    ['repeated values reordered', { 'X-Original-URI': '/api/orders/42?dry_run=false&tag=b&tag=a&note=a%2Bb' }],
    ['%2B re-encoded as +', { 'X-Original-URI': '/api/orders/42?dry_run=false&tag=a&tag=b&note=a+b' }],
    ['& smuggled as %26', { 'X-Original-URI': '/api/orders/42?dry_run=false%26tag%3Da&tag=b&note=a%2Bb' }],
    ['digest of another body declared', { 'Content-Digest': contentDigestFor('{"amount":1e9,"to":"mallory"}') }],
    ['empty-body digest declared', { 'Content-Digest': contentDigestFor('') }],
    ['Content-Digest missing', { 'Content-Digest': '' }],
    ['Content-Digest malformed', { 'Content-Digest': 'sha-256=abc' }],
  ])('%s: 401 invalid_credentials', async (_label, over) => {
    const s = setup()
    const res = await s.authz(s.headers(s.signV2(), over))
    await expectDenied(res, 401, 'invalid_credentials')
    expect(res.headers.get('www-authenticate')).toBe('HMAC realm="gatekeeper"')
  })

  it('two sha-256 members (e.g. a second Content-Digest line) are refused, not resolved', async () => {
    const s = setup()
    const signed = s.signV2()
    const h: [string, string][] = [...Object.entries(s.headers(signed)), ['Content-Digest', contentDigestFor('x')]]
    await expectDenied(await s.authz(h), 401, 'invalid_credentials')
  })

  it.each([
    ['reordered across names', '/api/orders/42?note=a%2Bb&tag=a&dry_run=false&tag=b'],
    ['re-encoded equivalently', '/api/orders/42?dry%5Frun=false&tag=%61&tag=b&note=a%2bb'],
  ])('the same request %s is allowed (it means the same upstream)', async (_label, uri) => {
    const s = setup()
    expect((await s.authz(s.headers(s.signV2(), { 'X-Original-URI': uri }))).status).toBe(200)
  })

  it('a stale timestamp: 401 stale_timestamp, 300 s either way allowed', async () => {
    const s = setup()
    expect((await s.authz(s.headers(s.signV2({ timestamp: s.now() - 300 })))).status).toBe(200)
    expect((await s.authz(s.headers(s.signV2({ timestamp: s.now() + 300 })))).status).toBe(200)
    await expectDenied(await s.authz(s.headers(s.signV2({ timestamp: s.now() - 301 }))), 401, 'stale_timestamp')
  })

  it('a reused nonce: 401 replayed_nonce', async () => {
    const s = setup()
    const h = s.headers(s.signV2({ nonce: 'v2-once-only' }))
    expect((await s.authz(h)).status).toBe(200)
    await expectDenied(await s.authz(h), 401, 'replayed_nonce')
  })

  it('a header announcing an unknown version: 401 invalid_credentials', async () => {
    const s = setup()
    const signed = s.signV2()
    const res = await s.authz(s.headers(signed, { Authorization: signed.authorization.replace('"2"', '"3"') }))
    await expectDenied(res, 401, 'invalid_credentials')
  })
})

describe('/authz HMAC v2 from a direct caller posting the body', () => {
  it('checks the body against the signed digest', async () => {
    const s = setup()
    const res = await s.authz(s.headers(s.signV2()), BODY)
    expect(res.status).toBe(200)
    expect(res.headers.get('x-auth-content-digest')).toBe(contentDigestFor(BODY))
  })

  it('a changed body under the same (signed) digest header: 401, content_digest_mismatch in the audit log', async () => {
    const s = setup()
    const res = await s.authz(s.headers(s.signV2()), '{"amount":1000000,"to":"mallory"}')
    await expectDenied(res, 401, 'invalid_credentials')
    expect(s.w.audit.at(-1)).toMatchObject({ reason: 'invalid_credentials', detail: 'content_digest_mismatch' })
  })
})

describe('/authz v1 and v2 side by side', () => {
  function signV1(s: ReturnType<typeof setup>, method: string) {
    return signRequestV1({
      clientId: s.client.id,
      secret: s.secret.secret ?? '',
      method,
      path: '/api/orders/42',
      timestamp: s.now(),
    }).authorization
  }
  const v1Headers = (method: string, authorization: string) => ({
    'X-Original-URI': TARGET,
    'X-Original-Method': method,
    'X-Original-Host': HOST,
    Authorization: authorization,
  })

  it('a v1-only client still works where v1 is allowed, without a digest header', async () => {
    const s = setup()
    const res = await s.authz(v1Headers('DELETE', signV1(s, 'DELETE')))
    expect(res.status).toBe(200)
    expect(res.headers.get('x-auth-content-digest')).toBeNull()
  })

  it('a v1 client is refused where the method requires v2: 401 signature_required', async () => {
    const s = setup()
    const res = await s.authz(v1Headers('POST', signV1(s, 'POST')))
    await expectDenied(res, 401, 'signature_required')
    expect(res.headers.get('www-authenticate')).toBe('HMAC realm="gatekeeper"')
    expect(s.w.audit.at(-1)).toMatchObject({ detail: 'signature_v2_required' })
  })

  it('a v2 client works where v1 is allowed too', async () => {
    const s = setup()
    const signed = s.signV2({ method: 'DELETE', body: '' })
    const res = await s.authz(s.headers(signed, { 'X-Original-Method': 'DELETE' }))
    expect(res.status).toBe(200)
    expect(res.headers.get('x-auth-content-digest')).toBe(contentDigestFor(''))
  })

  it('counts verifications by version and result', async () => {
    const s = setup()
    await s.authz(s.headers(s.signV2()))
    await s.authz(s.headers(s.signV2(), { 'X-Original-Host': OTHER_HOST }))
    await s.authz(s.headers(s.signV2({ timestamp: s.now() - 1000 })))
    await s.authz(s.headers(s.signV2()), 'tampered')
    await s.authz(v1Headers('DELETE', signV1(s, 'DELETE')))
    await s.authz(v1Headers('POST', signV1(s, 'POST')))
    const text = await (await s.app.request('/metrics')).text()
    const count = (labels: string) =>
      new RegExp(`^gatekeeper_authz_hmac_verifications_total\\{${labels}\\} (\\d+)$`, 'm').exec(text)?.[1]
    expect(count('version="2",result="valid"')).toBe('1')
    expect(count('version="2",result="invalid"')).toBe('1')
    expect(count('version="2",result="stale_timestamp"')).toBe('1')
    expect(count('version="2",result="digest_mismatch"')).toBe('1')
    expect(count('version="1",result="valid"')).toBe('1')
    expect(count('version="1",result="version_refused"')).toBe('1')
  })
})
