import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { itRefuses } from '../test/support/results'
import { contentDigestFor, parseContentDigest, verifyContentDigest } from './content-digest'
import { parseSfDictionary } from './structured-dictionary'

const EMPTY = 'sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:'
// RFC 9530 section 2 example: the body {"hello": "world"}.
const HELLO_BODY = '{"hello": "world"}'
const HELLO = 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:'
const SHA512 = 'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:'

describe('contentDigestFor', () => {
  it('matches RFC 9530 and the empty-body digest', () => {
    expect(contentDigestFor(HELLO_BODY)).toBe(HELLO)
    expect(contentDigestFor('')).toBe(EMPTY)
    expect(contentDigestFor()).toBe(EMPTY)
    expect(contentDigestFor(new TextEncoder().encode(HELLO_BODY))).toBe(HELLO)
  })
})

describe('parseContentDigest', () => {
  const helloBytes = new Uint8Array(createHash('sha256').update(HELLO_BODY).digest())

  it.each([
    [HELLO],
    [` ${HELLO} `],
    [`${SHA512}, ${HELLO}`],
    [`${HELLO},${SHA512}`],
    [`${HELLO};note="x"`],
    ['sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE:'],
    [`unixsum=12345, md5=:AAAA:, flag, list=(a "b" :AAAA:);p=1, ${HELLO}`],
  ])('reads the sha-256 member of %s', (header) => {
    expect(parseContentDigest(header)).toEqual({ ok: true, sha256: helloBytes, value: HELLO })
  })

  itRefuses(parseContentDigest, 'refuses %j (%s)', [
    [undefined, 'missing'],
    ['', 'missing'],
    ['   ', 'missing'],
    [`${'x'.repeat(1100)}`, 'too_long'],
    ['sha-256', 'bad_sha256'],
    ['sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=', 'malformed'],
    ['sha-256="X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE="', 'bad_sha256'],
    ['sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=', 'malformed'],
    ['sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPF=:', 'bad_sha256'],
    ['sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DB=:', 'bad_sha256'],
    ['sha-256=:X48E9qOokqq-vdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:', 'malformed'],
    ['sha-256=:X48E9qOokqq=rvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE:', 'bad_sha256'],
    [`SHA-256=:${HELLO.slice(9)}`, 'malformed'],
    [SHA512, 'no_sha256'],
    ['sha256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:', 'no_sha256'],
    [`${HELLO}, ${EMPTY}`, 'duplicate_algorithm'],
    [`${HELLO},`, 'malformed'],
    [`${HELLO} x`, 'malformed'],
    [`,${HELLO}`, 'malformed'],
  ])
})

describe('verifyContentDigest', () => {
  it('accepts the body the digest was made for', () => {
    expect(verifyContentDigest(HELLO, HELLO_BODY)).toEqual({ ok: true })
    expect(verifyContentDigest(EMPTY, '')).toEqual({ ok: true })
    expect(verifyContentDigest(EMPTY, new Uint8Array(0))).toEqual({ ok: true })
  })

  it('refuses any other body, and says why', () => {
    expect(verifyContentDigest(HELLO, '{"hello":"world"}')).toEqual({ ok: false, reason: 'mismatch' })
    expect(verifyContentDigest(EMPTY, ' ')).toEqual({ ok: false, reason: 'mismatch' })
    expect(verifyContentDigest(undefined, '')).toEqual({ ok: false, reason: 'missing' })
    expect(verifyContentDigest(SHA512, HELLO_BODY)).toEqual({ ok: false, reason: 'no_sha256' })
  })
})

describe('parseSfDictionary', () => {
  it('reads every item type and skips parameters', () => {
    const r = parseSfDictionary('a=1, b=-2.5, c="q\\"x", d=tok/en:1, e=:AAAA:, f=?0, g, h=(1 2);p, i;x=1')
    expect(r.ok && Object.fromEntries(r.members)).toEqual({
      a: { type: 'integer', value: 1 },
      b: { type: 'decimal', value: -2.5 },
      c: { type: 'string', value: 'q"x' },
      d: { type: 'token', value: 'tok/en:1' },
      e: { type: 'bytes', value: 'AAAA' },
      f: { type: 'boolean', value: false },
      g: { type: 'boolean', value: true },
      h: { type: 'inner_list' },
      i: { type: 'boolean', value: true },
    })
  })

  it.each([
    'A=1',
    '1a=1',
    'a=',
    'a=1.',
    'a=1.2345',
    'a=1234567890123456',
    'a="\\x"',
    'a="unterminated',
    'a=?2',
    'a=(1 2',
    'a=(1,2)',
    'a=1 b=2',
    'a=1,,b=2',
    'a=@123',
    'a=%"x"',
  ])('refuses %j', (text) => {
    expect(parseSfDictionary(text)).toEqual({ ok: false, reason: 'malformed' })
  })
})

describe('parseContentDigest fast path (one canonical sha-256 member)', () => {
  it('reads a canonical header exactly as the dictionary parser does', () => {
    for (let i = 0; i < 500; i++) {
      const header = contentDigestFor(`body ${i}`)
      // A leading space is allowed by RFC 8941 and takes the header through the full dictionary parser.
      expect(parseContentDigest(header)).toEqual(parseContentDigest(` ${header}`))
      expect(parseContentDigest(header)).toMatchObject({ ok: true, value: header })
    }
  })

  it('refuses a last character with stray bits either way', () => {
    const header = contentDigestFor('x')
    const stray = `${header.slice(0, -3)}${header.at(-3) === 'B' ? 'C' : 'B'}=:`
    expect(parseContentDigest(stray)).toEqual({ ok: false, reason: 'bad_sha256' })
    expect(parseContentDigest(` ${stray}`)).toEqual({ ok: false, reason: 'bad_sha256' })
  })
})
