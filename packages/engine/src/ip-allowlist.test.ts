import { describe, expect, it } from 'vitest'
import { makeApiKey } from '../test/support/engine'
import { credentialWorld } from '../test/support/world'
import type { ClientInput } from './types'

// A client's IP allowlist: checked against the resolved client IP once the credential is verified, for API keys
// and signatures alike; a client without one is not checked at all.

const world = (client: Partial<ClientInput>) => credentialWorld({ client })

const ALLOWED = { allowed: true, reason: 'authenticated' }
const REFUSED = { allowed: false, status: 403, reason: 'ip_not_allowed' }

describe('client IP allowlist', () => {
  it('IPv4: an address inside a CIDR or equal to a listed address passes, anything else is 403 ip_not_allowed', async () => {
    const w = world({ ipAllowlist: ['10.1.0.0/16', '203.0.113.7'] })
    expect(await w.run(w.withKey('10.1.255.3'))).toMatchObject(ALLOWED)
    expect(await w.run(w.withKey('203.0.113.7'))).toMatchObject(ALLOWED)
    expect(await w.run(w.withKey('10.2.0.1'))).toMatchObject({ ...REFUSED, clientId: w.client.id })
    expect(await w.run(w.withKey('203.0.113.8'))).toMatchObject(REFUSED)
    expect(await w.run(w.withKey('2001:db8::1'))).toMatchObject(REFUSED)
  })

  it('IPv6: a CIDR matches its addresses in any spelling, not its neighbours', async () => {
    const w = world({ ipAllowlist: ['2001:db8:abcd::/48'] })
    expect(await w.run(w.withKey('2001:db8:abcd:12::1'))).toMatchObject(ALLOWED)
    expect(await w.run(w.withKey('2001:0DB8:ABCD:0000:0000:0000:0000:0001'))).toMatchObject(ALLOWED)
    expect(await w.run(w.withKey('2001:db8:abce::1'))).toMatchObject(REFUSED)
    expect(await w.run(w.withKey('10.0.0.1'))).toMatchObject(REFUSED)
  })

  it('IPv4-mapped IPv6 callers are judged as IPv4, and a mapped CIDR in the list names the IPv4 range', async () => {
    const v4 = world({ ipAllowlist: ['192.0.2.0/24'] })
    expect(await v4.run(v4.withKey('::ffff:192.0.2.9'))).toMatchObject(ALLOWED)
    expect(await v4.run(v4.withKey('::ffff:198.51.100.1'))).toMatchObject(REFUSED)
    const mapped = world({ ipAllowlist: ['::ffff:192.0.2.0/120'] })
    expect(await mapped.run(mapped.withKey('192.0.2.200'))).toMatchObject(ALLOWED)
    expect(await mapped.run(mapped.withKey('192.0.3.1'))).toMatchObject(REFUSED)
  })

  it('no allowlist: every IP is allowed, even an unknown one', async () => {
    for (const ipAllowlist of [undefined, null]) {
      const w = world(ipAllowlist === undefined ? {} : { ipAllowlist })
      expect(await w.run(w.withKey('198.51.100.1'))).toMatchObject(ALLOWED)
      expect(await w.run(w.withKey('unknown'))).toMatchObject(ALLOWED)
      expect(await w.run(w.withKey(undefined))).toMatchObject(ALLOWED)
    }
  })

  it('with an allowlist, an unresolved or missing client IP is refused', async () => {
    const w = world({ ipAllowlist: ['0.0.0.0/0', '::/0'] })
    expect(await w.run(w.withKey('198.51.100.1'))).toMatchObject(ALLOWED)
    expect(await w.run(w.withKey('unknown'))).toMatchObject(REFUSED)
    expect(await w.run(w.withKey(undefined))).toMatchObject(REFUSED)
  })

  it('applies to HMAC signatures too, and only after the credential is verified', async () => {
    const w = world({ ipAllowlist: ['10.0.0.0/8'] })
    expect(await w.run(w.signed('10.9.9.9'))).toMatchObject(ALLOWED)
    expect(await w.run(w.signed('172.16.0.1'))).toMatchObject(REFUSED)
    // A wrong secret or an unknown key from outside the list is told it is not authenticated, nothing more.
    expect(await w.run(w.signed('172.16.0.1', 'wrong-secret'))).toMatchObject({
      status: 401,
      reason: 'invalid_credentials',
    })
    const other = makeApiKey(w.client.id)
    expect(await w.run(w.withKey('172.16.0.1', other.key))).toMatchObject({
      status: 401,
      reason: 'invalid_credentials',
    })
  })

  it('an update replaces the list and clearing it lifts the check; an uncompilable list refuses everyone', async () => {
    const w = world({ ipAllowlist: ['10.0.0.0/8'] })
    expect(await w.run(w.withKey('192.0.2.1'))).toMatchObject(REFUSED)
    w.state.upsertClient({ ...w.client, ipAllowlist: ['192.0.2.0/24'] })
    expect(await w.run(w.withKey('192.0.2.1'))).toMatchObject(ALLOWED)
    expect(await w.run(w.withKey('10.0.0.1'))).toMatchObject(REFUSED)
    w.state.upsertClient({ ...w.client, ipAllowlist: null })
    expect(await w.run(w.withKey('10.0.0.1'))).toMatchObject(ALLOWED)
    w.state.upsertClient({ ...w.client, ipAllowlist: ['10.0.0.0/8', 'not-an-ip'] })
    expect(await w.run(w.withKey('10.0.0.1'))).toMatchObject(REFUSED)
  })
})
