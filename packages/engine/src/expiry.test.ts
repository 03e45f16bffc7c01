import { describe, expect, it } from 'vitest'
import { makeApiKey, makeSecret } from '../test/support/engine'
import { credentialWorld } from '../test/support/world'
import type { DecisionRequest } from './decide'
import type { Decision } from './types'

// Operator-set expiry of credentials and clients: refused from the exact millisecond on, decided against the
// injected clock only (no reload, no timer), and told apart from a rotated-out credential past its grace.

const T = Date.UTC(2026, 0, 15, 12, 0, 0) // makeDeps' clock
const EXPIRED = { allowed: false, status: 401, reason: 'credential_expired' } as const

/**
 * The request (built when sent, so a signature carries the clock's time) passes at `at - 1` ms and gets `refusal`
 * from `at` on.
 */
async function expectAllowedUntil(
  w: ReturnType<typeof credentialWorld>,
  at: number,
  request: () => DecisionRequest,
  refusal: Partial<Decision>,
): Promise<void> {
  w.deps.clock.nowMs = at - 1
  expect(await w.run(request())).toMatchObject({ allowed: true, reason: 'authenticated' })
  w.deps.clock.nowMs = at
  expect(await w.run(request())).toMatchObject(refusal)
}

describe('credential expiry (operator-set)', () => {
  it('an API key works at t-1 ms and is refused at t with 401 credential_expired', async () => {
    const w = credentialWorld({ key: { validUntil: new Date(T + 5000) } })
    await expectAllowedUntil(w, T + 5000, () => w.withKey(), { ...EXPIRED, clientId: w.client.id, authType: 'api_key' })
    w.deps.clock.nowMs = T + 86_400_000
    expect(await w.run(w.withKey())).toMatchObject({ status: 401, reason: 'credential_expired' })
  })

  it('an HMAC secret works at t-1 ms and is refused at t with 401 credential_expired', async () => {
    const w = credentialWorld({ secret: { validUntil: new Date(T + 5000) } })
    await expectAllowedUntil(w, T + 5000, () => w.signed(), { ...EXPIRED, clientId: w.client.id })
  })

  it('a wrong signature for a client whose secret expired is still invalid_credentials', async () => {
    const w = credentialWorld({ secret: { validUntil: new Date(T) } })
    expect(await w.run(w.signed(undefined, 'gks_not-the-secret'))).toMatchObject({
      status: 401,
      reason: 'invalid_credentials',
    })
  })

  it('a live secret next to an expired one still verifies', async () => {
    const w = credentialWorld({ secret: { validUntil: new Date(T - 1000) } })
    const fresh = makeSecret(w.client.id)
    w.state.upsertCredential(fresh)
    expect(await w.run(w.signed(undefined, fresh.secret ?? ''))).toMatchObject({ allowed: true })
    expect(await w.run(w.signed())).toMatchObject({ reason: 'credential_expired' })
  })

  it('a rotated-out key past its grace stays invalid_credentials (expired_key), not credential_expired', async () => {
    const w = credentialWorld({ key: { expiresAt: new Date(T), validUntil: new Date(T + 60_000) } })
    expect(await w.run(w.withKey())).toMatchObject({ reason: 'invalid_credentials', logDetail: 'expired_key' })
  })

  it('the earlier of grace end and operator expiry wins', async () => {
    const w = credentialWorld({ key: { expiresAt: new Date(T + 60_000), validUntil: new Date(T + 1000) } })
    expect(await w.run(w.withKey())).toMatchObject({ allowed: true })
    w.deps.clock.nowMs = T + 1000
    expect(await w.run(w.withKey())).toMatchObject({ reason: 'credential_expired' })
  })

  it('clearing the expiry (an upsert without it) lets the key work again', async () => {
    const w = credentialWorld({ key: { validUntil: new Date(T) } })
    expect(await w.run(w.withKey())).toMatchObject({ reason: 'credential_expired' })
    const { key, credential } = makeApiKey(w.client.id)
    w.state.upsertCredential(credential)
    const req = w.withKey()
    expect(await w.run({ ...req, credentials: { kind: 'api_key', key, source: 'header' } })).toMatchObject({
      allowed: true,
    })
  })
})

describe('client expiry', () => {
  it('every credential of the client works at t-1 ms and is refused at t with 401 client_expired', async () => {
    const w = credentialWorld({ client: { expiresAt: new Date(T + 2000) } })
    w.deps.clock.nowMs = T + 1999
    expect(await w.run(w.withKey())).toMatchObject({ allowed: true })
    expect(await w.run(w.signed())).toMatchObject({ allowed: true })
    w.deps.clock.nowMs = T + 2000
    expect(await w.run(w.withKey())).toMatchObject({
      allowed: false,
      status: 401,
      reason: 'client_expired',
      clientId: w.client.id,
      authType: 'api_key',
    })
    expect(await w.run(w.signed())).toMatchObject({ status: 401, reason: 'client_expired', authType: 'hmac' })
  })

  it('a client updated without an expiry no longer expires', async () => {
    const w = credentialWorld({ client: { expiresAt: new Date(T) } })
    expect(await w.run(w.withKey())).toMatchObject({ reason: 'client_expired' })
    w.state.upsertClient({ ...w.client, expiresAt: null })
    expect(await w.run(w.withKey())).toMatchObject({ allowed: true })
  })
})
