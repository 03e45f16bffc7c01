import { describe, expect, it } from 'vitest'
import { canonicalPath, canonicalQuery, canonicalQueryFromParams } from './canonical-target'

function path(raw: string | Uint8Array): string {
  const r = canonicalPath(raw)
  if (!r.ok) throw new Error(r.reason)
  return r.value
}

function query(raw: string): string {
  const r = canonicalQuery(raw)
  if (!r.ok) throw new Error(r.reason)
  return r.value
}

describe('canonicalPath', () => {
  it.each([
    ['', '/'],
    ['/', '/'],
    ['//', '/'],
    ['/a', '/a'],
    ['/a/', '/a/'],
    ['/a//b///c', '/a/b/c'],
    ['/a/./b', '/a/b'],
    ['/a/b/.', '/a/b/'],
    ['/a/b/..', '/a/'],
    ['/a/b/../c', '/a/c'],
    ['/a/%2e%2E/c', '/c'],
    ['/a/.%2e/c', '/c'],
    ['/a/%2e/c', '/a/c'],
    ['/%7Euser/%7e', '/~user/~'],
    ['/a%20b/a b', '/a%20b/a%20b'],
    ['/a+b', '/a%2Bb'],
    ['/a%2Bb', '/a%2Bb'],
    ['/a;b=c:d@e', '/a%3Bb%3Dc%3Ad%40e'],
    ['/a%3bb', '/a%3Bb'],
    ['/caf%c3%a9', '/caf%C3%A9'],
    ['/café', '/caf%C3%A9'],
    ['/..a/a..', '/..a/a..'],
    ['/.well-known/x', '/.well-known/x'],
    ['/a%3Fb', '/a%3Fb'],
  ])('%s -> %s', (raw, expected) => {
    expect(path(raw)).toBe(expected)
  })

  it('keeps an encoded slash as data inside its segment (never a separator)', () => {
    expect(path('/a%2Fb')).toBe('/a%2Fb')
    expect(path('/a/..%2Fb')).toBe('/a/..%2Fb')
  })

  it('takes bytes as they are (no UTF-8 requirement) and text as UTF-8', () => {
    expect(path(new Uint8Array([0x2f, 0xc3, 0xa9, 0xff]))).toBe('/%C3%A9%FF')
    expect(path('/é')).toBe(path(new Uint8Array([0x2f, 0xc3, 0xa9])))
  })

  it.each([
    ['a', 'invalid_path'],
    ['a/b', 'invalid_path'],
    ['/a?b', 'invalid_path'],
    ['/a#b', 'fragment'],
    ['/%', 'invalid_percent_encoding'],
    ['/%2', 'invalid_percent_encoding'],
    ['/%zz', 'invalid_percent_encoding'],
    ['/%u002e', 'invalid_percent_encoding'],
    ['/..', 'path_above_root'],
    ['/a/../..', 'path_above_root'],
    ['/%2e%2e/a', 'path_above_root'],
  ])('refuses %s (%s)', (raw, reason) => {
    expect(canonicalPath(raw)).toEqual({ ok: false, reason })
  })
})

describe('canonicalQuery', () => {
  it.each([
    ['', ''],
    ['a=1', 'a=1'],
    ['b=2&a=1', 'a=1&b=2'],
    ['a=2&a=1', 'a=2&a=1'],
    ['b=1&a=2&b=0&a=1', 'a=2&a=1&b=1&b=0'],
    ['q=a+b', 'q=a%20b'],
    ['q=a%20b', 'q=a%20b'],
    ['q=a%2Bb', 'q=a%2Bb'],
    ['q=%7e&r=~', 'q=~&r=~'],
    ['q=%2c', 'q=%2C'],
    ["q=!'()*", 'q=%21%27%28%29%2A'],
    ['flag', 'flag='],
    ['flag=', 'flag='],
    ['a=1=2', 'a=1%3D2'],
    ['a=1&&b=2&', 'a=1&b=2'],
    ['&&', ''],
    ['=x', '=x'],
    ['a%26b=c%3Dd', 'a%26b=c%3Dd'],
    ['a;b=1', 'a%3Bb=1'],
    ['n%C3%A4me=v%C3%A4lue', 'n%C3%A4me=v%C3%A4lue'],
    ['näme=välue', 'n%C3%A4me=v%C3%A4lue'],
  ])('%s -> %s', (raw, expected) => {
    expect(query(raw)).toBe(expected)
  })

  it('sorts by encoded name in byte order', () => {
    expect(query('b=1&B=1&_=1&-=1&~=1&a=1&%C3%A4=1&0=1')).toBe('%C3%A4=1&-=1&0=1&B=1&_=1&a=1&b=1&~=1')
  })

  it.each(['a=%', 'a=%4', 'a=%g0', '%=1', 'a=1#x'])('refuses %s', (raw) => {
    expect(canonicalQuery(raw).ok).toBe(false)
  })
})

describe('canonicalQueryFromParams', () => {
  it('encodes decoded text and keeps the order of a repeated name', () => {
    expect(canonicalQueryFromParams({ z: 'a b+c', a: ['2', '1'] })).toBe('a=2&a=1&z=a%20b%2Bc')
    expect(
      canonicalQueryFromParams([
        ['b', '1'],
        ['a', '%41'],
      ]),
    ).toBe('a=%2541&b=1')
  })

  it('agrees with the raw form of the same parameters', () => {
    const params = new URLSearchParams({ q: 'red shoes & socks', lang: 'en~GB', note: "O'Brien (*)" })
    expect(canonicalQueryFromParams([...params])).toBe(query(params.toString()))
  })
})
