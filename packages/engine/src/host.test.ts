import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseHost } from './host'

describe('parseHost', () => {
  it.each([
    ['api.example.com', 'api.example.com'],
    ['API.Example.COM', 'api.example.com'],
    ['api.example.com:8443', 'api.example.com'],
    ['api.example.com.', 'api.example.com'],
    ['api.example.com.:443', 'api.example.com'],
    ['localhost', 'localhost'],
    ['internal_svc.local', 'internal_svc.local'],
    ['10.0.0.1:80', '10.0.0.1'],
    ['[::1]', '[::1]'],
    ['[2001:DB8::1]:8080', '[2001:db8::1]'],
    ['example.com:', 'example.com'],
  ])('%s -> %s', (value, host) => {
    expect(parseHost(value)).toEqual({ ok: true, host })
  })

  it.each([
    [undefined, 'missing'],
    ['', 'missing'],
    ['.', 'missing'],
    [':80', 'missing'],
    [' api.example.com', 'whitespace'],
    ['api.example.com ', 'whitespace'],
    ['api .example.com', 'whitespace'],
    ['a.com, b.com', 'multiple_values'],
    ['a.com,b.com', 'multiple_values'],
    ['a.com:80,b.com', 'multiple_values'],
    ['user@api.example.com', 'userinfo'],
    ['user:pw@api.example.com', 'userinfo'],
    ['api.example.com:http', 'invalid_port'],
    ['api.example.com:65536', 'invalid_port'],
    ['api.example.com:123456', 'invalid_port'],
    ['api.example.com:80:81', 'invalid_port'],
    ['::1', 'invalid_port'],
    ['[::1', 'invalid_ipv6'],
    ['[not-ip]', 'invalid_ipv6'],
    ['[fe80::1%eth0]', 'invalid_ipv6'],
    ['[::1]x', 'invalid_character'],
    ['*.example.com', 'invalid_character'],
    ['exa/mple.com', 'invalid_character'],
    ['caf\u00e9.com', 'invalid_character'],
    ['a..b', 'empty_label'],
    ['.example.com', 'empty_label'],
    ['example.com..', 'empty_label'],
    [`${'a'.repeat(64)}.com`, 'label_too_long'],
    [`${'abcdefghi.'.repeat(25)}abcd`, 'too_long'],
  ])('%j is refused (%s)', (value, reason) => {
    expect(parseHost(value)).toEqual({ ok: false, reason })
  })

  it('accepts 253 characters, refuses 254', () => {
    const name = `${'abcdefghi.'.repeat(25)}abc` // 253
    expect(parseHost(name)).toEqual({ ok: true, host: name })
    expect(parseHost(`${name}d`)).toEqual({ ok: false, reason: 'too_long' })
  })

  it('is stable: parsing its own output gives the same host', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'aZ09.-_:[]@, \t*'), maxLength: 30 }), (value) => {
        const once = parseHost(value)
        if (!once.ok) return
        expect(parseHost(once.host)).toEqual(once)
        expect(once.host).toBe(once.host.toLowerCase())
        expect(once.host).not.toMatch(/[\s,@*]/)
      }),
      { numRuns: 2000 },
    )
  })
})
