import { describe, expect, it } from 'vitest'
import { compileTrustedForwarders, resolveClientIp, type TrustedForwarders, unmapIPv4 } from './client-ip'

function trusted(...entries: string[]): TrustedForwarders {
  const r = compileTrustedForwarders(entries)
  if (!r.ok) throw new Error(r.reason)
  return r.trusted
}

const NOBODY = trusted()

describe('compileTrustedForwarders', () => {
  it('matches addresses and CIDRs of both families', () => {
    const t = trusted('203.0.113.10', '10.0.0.0/8', '2001:db8::/32', '::1')
    expect(t.has('203.0.113.10')).toBe(true)
    expect(t.has('203.0.113.11')).toBe(false)
    expect(t.has('10.255.0.1')).toBe(true)
    expect(t.has('11.0.0.1')).toBe(false)
    expect(t.has('2001:db8:1::5')).toBe(true)
    expect(t.has('2001:db9::5')).toBe(false)
    expect(t.has('::1')).toBe(true)
    expect(t.has('not an ip')).toBe(false)
    expect(t.size).toBe(4)
  })

  it('answers the same when asked again, also past its memory of addresses', () => {
    const t = trusted('10.0.0.0/8')
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 3000; i++) {
        expect(t.has(`10.0.${i >> 8}.${i & 255}`)).toBe(true)
        expect(t.has(`11.0.${i >> 8}.${i & 255}`)).toBe(false)
      }
    }
  })

  it('checks IPv4-mapped IPv6 peers (as node reports them on dual-stack sockets) as IPv4', () => {
    const t = trusted('203.0.113.10', '10.0.0.0/8')
    expect(t.has('::ffff:203.0.113.10')).toBe(true)
    expect(t.has('::FFFF:10.1.2.3')).toBe(true)
    expect(t.has('::ffff:203.0.113.11')).toBe(false)
    // A mapped entry means the IPv4 address it maps.
    expect(trusted('::ffff:192.0.2.1').has('192.0.2.1')).toBe(true)
    expect(trusted('::ffff:192.0.2.0/120').has('192.0.2.77')).toBe(true)
  })

  it.each([['not-an-ip'], ['10.0.0.0/33'], ['10.0.0.0/x'], ['2001:db8::/129'], ['10.0.0.0/']])(
    'refuses %j',
    (entry) => {
      expect(compileTrustedForwarders([entry]).ok).toBe(false)
    },
  )

  it('an empty list trusts nobody', () => {
    expect(NOBODY.has('127.0.0.1')).toBe(false)
    expect(trusted('', '  ').size).toBe(0)
  })
})

describe('resolveClientIp', () => {
  const base = { socketIp: undefined, xOriginalClientIp: undefined }

  // An X-Original-Client-IP that may not (untrusted caller) or cannot (not one address) be used: the socket decides.
  it.each([
    [
      'ignores X-Original-Client-IP from an untrusted caller (spoofing)',
      { socketIp: '198.51.100.7', xOriginalClientIp: '1.2.3.4' },
      '198.51.100.7',
    ],
    [
      'a trusted caller with a repeated or invalid X-Original-Client-IP is itself',
      { socketIp: '203.0.113.10', xOriginalClientIp: '1.2.3.4, 5.6.7.8' },
      '203.0.113.10',
    ],
    ['a trusted caller without X-Original-Client-IP is itself', { socketIp: '203.0.113.10' }, '203.0.113.10'],
    ['an IPv4-mapped socket address is reported as IPv4', { socketIp: '::ffff:127.0.0.1' }, '127.0.0.1'],
    ['no socket (in-process): unknown, which no allowlist contains', {}, 'unknown'],
  ])('%s', (_name, input, expected) => {
    expect(resolveClientIp({ ...base, ...input, trusted: trusted('203.0.113.10') })).toBe(expected)
  })

  it('honours X-Original-Client-IP from a trusted caller, by address or CIDR, mapped or not', () => {
    const t = trusted('203.0.113.10', '10.0.0.0/8')
    for (const socketIp of ['203.0.113.10', '10.9.8.7', '::ffff:10.9.8.7']) {
      expect(resolveClientIp({ ...base, socketIp, xOriginalClientIp: '198.51.100.42', trusted: t })).toBe(
        '198.51.100.42',
      )
    }
  })

  it('unmapIPv4 leaves anything but a mapped IPv4 alone', () => {
    expect(unmapIPv4('::ffff:1.2.3.4')).toBe('1.2.3.4')
    expect(unmapIPv4('0:0:0:0:0:ffff:1.2.3.4')).toBe('1.2.3.4')
    expect(unmapIPv4('::ffff:zz')).toBe('::ffff:zz')
    expect(unmapIPv4('2001:db8::1')).toBe('2001:db8::1')
    expect(unmapIPv4('1.2.3.4')).toBe('1.2.3.4')
  })
})
