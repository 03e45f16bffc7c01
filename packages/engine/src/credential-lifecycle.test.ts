import { describe, expect, it } from 'vitest'
import { credentialWorld } from '../test/support/world'
import { headerSafeJson } from './state'

// A credential's own IP allowlist (on top of its client's), the accepted credential's id on an allow (for its
// last-used time), and the client's metadata sent in the route's metadata header.

const REFUSED = { allowed: false, status: 403, reason: 'ip_not_allowed' }

describe('per-credential IP allowlist', () => {
  it('an API key with its own list is accepted only from it (IPv4 and IPv6); no client IP is refused', async () => {
    const w = credentialWorld({ key: { ipAllowlist: ['203.0.113.0/24', '2001:db8::/32'] } })
    expect(await w.run(w.withKey('203.0.113.9'))).toMatchObject({ allowed: true, credentialId: w.credential.id })
    expect(await w.run(w.withKey('2001:db8::1'))).toMatchObject({ allowed: true })
    expect(await w.run(w.withKey('::ffff:203.0.113.9'))).toMatchObject({ allowed: true })
    expect(await w.run(w.withKey('198.51.100.1'))).toMatchObject({ ...REFUSED, clientId: w.client.id })
    expect(await w.run(w.withKey('2001:db9::1'))).toMatchObject(REFUSED)
    expect(await w.run(w.withKey(undefined))).toMatchObject(REFUSED)
  })

  it('both lists must admit the caller: the client list and the credential list narrow each other', async () => {
    const w = credentialWorld({
      client: { ipAllowlist: ['10.0.0.0/8'] },
      key: { ipAllowlist: ['10.1.0.0/16', '192.0.2.1'] },
    })
    expect(await w.run(w.withKey('10.1.2.3'))).toMatchObject({ allowed: true })
    expect(await w.run(w.withKey('10.2.0.1'))).toMatchObject(REFUSED) // client yes, credential no
    expect(await w.run(w.withKey('192.0.2.1'))).toMatchObject(REFUSED) // credential yes, client no
  })

  it('a shared secret with its own list: checked once the signature verified; the key of the same client is not', async () => {
    const w = credentialWorld({ secret: { ipAllowlist: ['192.0.2.0/28'] } })
    expect(await w.run(w.signed('192.0.2.3'))).toMatchObject({ allowed: true, credentialId: w.secret.id })
    expect(await w.run(w.signed('192.0.2.200'))).toMatchObject(REFUSED)
    expect(await w.run(w.withKey('192.0.2.200'))).toMatchObject({ allowed: true, credentialId: w.credential.id })
  })

  it('an update of the credential replaces or removes its list', async () => {
    const w = credentialWorld({ key: { ipAllowlist: ['192.0.2.1'] } })
    expect(await w.run(w.withKey('198.51.100.7'))).toMatchObject(REFUSED)
    w.state.upsertCredential({ ...w.credential, ipAllowlist: ['198.51.100.0/24'] })
    expect(await w.run(w.withKey('198.51.100.7'))).toMatchObject({ allowed: true })
    w.state.upsertCredential({ ...w.credential, ipAllowlist: null })
    expect(await w.run(w.withKey('203.0.113.1'))).toMatchObject({ allowed: true })
  })

  it('a list that does not compile refuses everything rather than opening up', async () => {
    const w = credentialWorld({ key: { ipAllowlist: ['not-an-ip'] } })
    expect(await w.run(w.withKey('203.0.113.1'))).toMatchObject(REFUSED)
  })
})

describe('client metadata in the route metadata header', () => {
  const metadata = { plan: 'gold', tenant: 42, note: 'Zürich "HQ"\nline' }

  it('an allow on a route with a metadata header carries the metadata as header-safe JSON', async () => {
    const w = credentialWorld({ client: { metadata }, route: { metadataHeader: 'X-Client-Metadata' } })
    const d = await w.run(w.withKey(undefined))
    expect(d).toMatchObject({ allowed: true, metadataHeader: 'x-client-metadata' })
    if (!d.allowed) throw new Error('expected an allow')
    const value = d.metadataValue ?? ''
    expect(value).toMatch(/^[\x20-\x7e]+$/)
    expect(JSON.parse(value)).toEqual(metadata)
  })

  it('no header without the route field, without metadata, or on a refusal', async () => {
    const plain = credentialWorld({ client: { metadata } })
    expect(await plain.run(plain.withKey(undefined))).not.toHaveProperty('metadataHeader')
    const none = credentialWorld({ route: { metadataHeader: 'X-Client-Metadata' } })
    expect(await none.run(none.withKey(undefined))).not.toHaveProperty('metadataHeader')
    const refused = credentialWorld({
      client: { metadata, ipAllowlist: ['192.0.2.1'] },
      route: { metadataHeader: 'X-Client-Metadata' },
    })
    expect(await refused.run(refused.withKey('203.0.113.1'))).not.toHaveProperty('metadataHeader')
  })

  it('headerSafeJson escapes DEL and everything beyond ASCII, and parses back to the same value', () => {
    const value = { a: 'é\u007f😀\u2028', b: [1, null, true] }
    const text = headerSafeJson(value)
    expect(text).toMatch(/^[\x20-\x7e]+$/)
    expect(JSON.parse(text)).toEqual(value)
  })
})
