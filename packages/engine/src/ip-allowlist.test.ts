import { describe, expect, it } from 'vitest'
import { makeApiKey } from '../test/support/engine'
import { credentialWorld } from '../test/support/world'
import type { ClientInput } from './types'

// A client's IP allowlist: checked against the resolved client IP once the credential is verified, for API keys
// and signatures alike; a client without one is not checked at all.

const world = (client: Partial<ClientInput>) => credentialWorld({ client })

const ALLOWED = { allowed: true, reason: 'authenticated' }
const REFUSED = { allowed: false, status: 403, reason: 'ip_not_allowed' }

type World = ReturnType<typeof world>

/** The client's API key is accepted from each of `allowed` and refused (ip_not_allowed) from each of `refused`. */
async function expectKeyFrom(w: World, ips: { allowed?: (string | undefined)[]; refused?: (string | undefined)[] }) {
  for (const ip of ips.allowed ?? []) expect(await w.run(w.withKey(ip)), `from ${ip}`).toMatchObject(ALLOWED)
  for (const ip of ips.refused ?? []) expect(await w.run(w.withKey(ip)), `from ${ip}`).toMatchObject(REFUSED)
}

describe('client IP allowlist', () => {
  it('IPv4: an address inside a CIDR or equal to a listed address passes, anything else is 403 ip_not_allowed', async () => {
    const w = world({ ipAllowlist: ['10.1.0.0/16', '203.0.113.7'] })
    await expectKeyFrom(w, { allowed: ['10.1.255.3', '203.0.113.7'], refused: ['203.0.113.8', '2001:db8::1'] })
    expect(await w.run(w.withKey('10.2.0.1'))).toMatchObject({ ...REFUSED, clientId: w.client.id })
  })

  it('IPv6: a CIDR matches its addresses in any spelling, not its neighbours', async () => {
    const w = world({ ipAllowlist: ['2001:db8:abcd::/48'] })
    await expectKeyFrom(w, {
      allowed: ['2001:db8:abcd:12::1', '2001:0DB8:ABCD:0000:0000:0000:0000:0001'],
      refused: ['2001:db8:abce::1', '10.0.0.1'],
    })
  })

  it('IPv4-mapped IPv6 callers are judged as IPv4, and a mapped CIDR in the list names the IPv4 range', async () => {
    const v4 = world({ ipAllowlist: ['192.0.2.0/24'] })
    await expectKeyFrom(v4, { allowed: ['::ffff:192.0.2.9'], refused: ['::ffff:198.51.100.1'] })
    const mapped = world({ ipAllowlist: ['::ffff:192.0.2.0/120'] })
    await expectKeyFrom(mapped, { allowed: ['192.0.2.200'], refused: ['192.0.3.1'] })
  })

  it('no allowlist: every IP is allowed, even an unknown one', async () => {
    for (const ipAllowlist of [undefined, null]) {
      const w = world(ipAllowlist === undefined ? {} : { ipAllowlist })
      await expectKeyFrom(w, { allowed: ['198.51.100.1', 'unknown', undefined] })
    }
  })

  it('with an allowlist, an unresolved or missing client IP is refused', async () => {
    const w = world({ ipAllowlist: ['0.0.0.0/0', '::/0'] })
    await expectKeyFrom(w, { allowed: ['198.51.100.1'], refused: ['unknown', undefined] })
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
