import { describe, expect, it } from 'vitest'
import { itCanonicalises, itRefuses } from '../test/support/results'
import {
  alreadyCanonicalTarget,
  canonicalPath,
  canonicalQuery,
  canonicalQueryFromParams,
  splitTarget,
} from './canonical-target'

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
  itCanonicalises(canonicalPath, [
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
  ])

  it('keeps an encoded slash as data inside its segment (never a separator)', () => {
    expect(path('/a%2Fb')).toBe('/a%2Fb')
    expect(path('/a/..%2Fb')).toBe('/a/..%2Fb')
  })

  it('takes bytes as they are (no UTF-8 requirement) and text as UTF-8', () => {
    expect(path(new Uint8Array([0x2f, 0xc3, 0xa9, 0xff]))).toBe('/%C3%A9%FF')
    expect(path('/é')).toBe(path(new Uint8Array([0x2f, 0xc3, 0xa9])))
  })

  itRefuses(canonicalPath, 'refuses %s (%s)', [
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
  ])
})

describe('canonicalQuery', () => {
  itCanonicalises(canonicalQuery, [
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
  ])

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

describe('alreadyCanonicalTarget (the fast path for targets that need no change)', () => {
  function full(target: string): { path: string; query: string } | string {
    const { path: p, query: q } = splitTarget(target)
    const cp = canonicalPath(p)
    if (!cp.ok) return cp.reason
    const cq = canonicalQuery(q)
    if (!cq.ok) return cq.reason
    return { path: cp.value, query: cq.value }
  }

  it.each([
    '/',
    '/v1/orders/42',
    '/v1/orders/42/',
    '/a.b/...',
    '/.well-known/x',
    '/v1/orders?limit=10&page=2',
    '/v1/orders?a=1&a=0&b=',
    '/x?',
  ])('takes %s as it is, as the full canonicalisation would', (target) => {
    const fast = alreadyCanonicalTarget(target)
    expect(fast).toBeDefined()
    expect(fast).toEqual(full(target))
  })

  it.each([
    '',
    '//a',
    '/a//b',
    '/a/./b',
    '/a/../b',
    '/..',
    '/a/.',
    '/a%2Fb',
    '/a b',
    '/a+b',
    '/caf\u00e9',
    '/a?b=1&a=2',
    '/a?a',
    '/a?=1',
    '/a?a=1&&b=2',
    '/a?a=1+2',
    '/a?a=%41',
    '/a?a=1#f',
    '/a#f',
    'a/b',
  ])('leaves %s to the full canonicalisation', (target) => {
    expect(alreadyCanonicalTarget(target)).toBeUndefined()
  })

  it('never disagrees with the full canonicalisation (20,000 random targets)', () => {
    const alphabet = [
      'a',
      'Z',
      '0',
      '-',
      '.',
      '_',
      '~',
      '/',
      '/',
      '/',
      '?',
      '&',
      '=',
      '=',
      '+',
      '%',
      '%2F',
      '%41',
      ' ',
      '..',
      'b',
      'c',
      '#',
      '\u00e9',
    ]
    let seed = 0x9e3779b9
    const next = () => {
      seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0
      return seed
    }
    let taken = 0
    for (let n = 0; n < 20_000; n++) {
      let target = '/'
      const length = next() % 16
      for (let i = 0; i < length; i++) target += alphabet[next() % alphabet.length]
      const fast = alreadyCanonicalTarget(target)
      if (fast === undefined) continue
      taken++
      expect(fast, target).toEqual(full(target))
    }
    expect(taken).toBeGreaterThan(1000) // the comparison above ran on many targets the fast path took
  })
})
