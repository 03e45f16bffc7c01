import { describe, expect, it } from 'vitest'
import { MAX_HMAC_HEADER_LENGTH, parseAnyForm, parseHmacAuthorization } from './hmac-header'

const sig = '9f641a9dd58a40414bee50eeb230b8478b6ff18147e1afa5f0c5cbcfeb4ce485'
const nonce = '0b6d2c8e-6a3f-4c1d-9e2b-7f4a5d6c8e9f'
const clientId = '6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a6b'
const canonical = `HMAC client_id="${clientId}",timestamp="1700000000",nonce="${nonce}",signature="${sig}"`
const expected = { clientId, timestamp: 1700000000, nonce, signature: sig }

// Builds a header from key/value pairs (values quoted), so one field can be varied at a time.
function header(fields: Record<string, string>, scheme = 'HMAC'): string {
  const pairs = Object.entries(fields).map(([key, value]) => `${key}="${value}"`)
  return `${scheme} ${pairs.join(',')}`
}
const base = { client_id: clientId, timestamp: '1700000000', nonce, signature: sig }

describe('parseHmacAuthorization accepts', () => {
  it.each([
    ['the canonical form', canonical],
    ['spaces after commas', canonical.replaceAll('",', '", ')],
    ['spaces and tabs around commas and =', canonical.replaceAll('",', '" ,\t').replaceAll('="', ' = "')],
    ['several spaces after the scheme', canonical.replace('HMAC ', 'HMAC    ')],
    ['surrounding whitespace', ` ${canonical}  `],
    ['a lower-case scheme', canonical.replace('HMAC', 'hmac')],
    ['a mixed-case scheme', canonical.replace('HMAC', 'HmAc')],
    ['upper-case keys', canonical.replace('client_id', 'CLIENT_ID').replace('nonce', 'Nonce')],
    [
      'fields in another order',
      `HMAC signature="${sig}", nonce="${nonce}", timestamp="1700000000", client_id="${clientId}"`,
    ],
    ['unquoted values', `HMAC client_id=${clientId},timestamp=1700000000,nonce=${nonce},signature=${sig}`],
  ])('%s', (_label, value) => {
    expect(parseHmacAuthorization(value)).toEqual({ ok: true, params: expected })
  })

  it('reads an optional version (or its alias v)', () => {
    expect(parseHmacAuthorization(`${canonical},version="1"`)).toEqual({
      ok: true,
      params: { ...expected, version: '1' },
    })
    expect(parseHmacAuthorization(`${canonical}, v=v1`)).toEqual({ ok: true, params: { ...expected, version: 'v1' } })
  })

  it('tolerates the reserved headers and digest keys', () => {
    const value = `${canonical},headers="host content-type",digest="SHA-256=abc"`
    expect(parseHmacAuthorization(value)).toEqual({ ok: true, params: expected })
  })

  it('keeps non-ASCII client ids', () => {
    const parsed = parseHmacAuthorization(header({ ...base, client_id: 'clïent-東京' }))
    expect(parsed.ok && parsed.params.clientId).toBe('clïent-東京')
  })

  it('accepts timestamp 0 and 12-digit timestamps (freshness is checked elsewhere)', () => {
    expect(parseHmacAuthorization(header({ ...base, timestamp: '0' })).ok).toBe(true)
    expect(parseHmacAuthorization(header({ ...base, timestamp: '999999999999' })).ok).toBe(true)
  })
})

describe('parseHmacAuthorization rejects', () => {
  it.each([
    ['another scheme', canonical.replace('HMAC', 'Bearer'), 'bad_scheme'],
    ['a scheme glued to the params', canonical.replace('HMAC ', 'HMAC'), 'bad_scheme'],
    ['a longer scheme name', canonical.replace('HMAC', 'HMACX'), 'bad_scheme'],
    ['a tab after the scheme', canonical.replace('HMAC ', 'HMAC\t'), 'bad_scheme'],
    ['an empty header', '', 'bad_scheme'],
    ['the scheme alone', 'HMAC', 'malformed'],
    ['the scheme and spaces alone', 'HMAC   ', 'malformed'],
  ])('%s', (_label, value, reason) => {
    expect(parseHmacAuthorization(value)).toEqual({ ok: false, reason })
  })

  it.each([
    ['a duplicate key', `${canonical},nonce="${nonce}"`, 'duplicate_key'],
    ['a duplicate key in another case', `${canonical},NONCE="${nonce}"`, 'duplicate_key'],
    ['version and v together', `${canonical},version="1",v="1"`, 'duplicate_key'],
    ['a duplicate reserved key', `${canonical},digest="a",digest="b"`, 'duplicate_key'],
    ['an unknown key', `${canonical},algorithm="hmac-sha256"`, 'unknown_key'],
    ['a near-miss key', canonical.replace('client_id', 'clientid'), 'unknown_key'],
  ])('%s', (_label, value, reason) => {
    expect(parseHmacAuthorization(value)).toEqual({ ok: false, reason })
  })

  it.each([
    ['client_id', 'missing_client_id'],
    ['timestamp', 'missing_timestamp'],
    ['nonce', 'missing_nonce'],
    ['signature', 'missing_signature'],
  ] as const)('a header without %s', (key, reason) => {
    const { [key]: _dropped, ...rest } = base
    expect(parseHmacAuthorization(header(rest))).toEqual({ ok: false, reason })
  })

  it.each(['client_id', 'timestamp', 'nonce', 'signature'] as const)('an empty %s', (key) => {
    expect(parseHmacAuthorization(header({ ...base, [key]: '' }))).toEqual({ ok: false, reason: 'empty_value' })
    const unquoted = canonical.replace(new RegExp(`${key}="[^"]*"`), `${key}=`)
    expect(parseHmacAuthorization(unquoted)).toEqual({ ok: false, reason: 'empty_value' })
  })

  it.each([
    ['-1', '-1'],
    ['+1700000000', '+1700000000'],
    ['1e9', '1e9'],
    ['0x10', '0x10'],
    ['1.5', '1700000000.5'],
    ['leading zero', '01700000000'],
    ['13 digits', '1700000000000'],
    ['letters', 'soon'],
    ['inner space', '1700 000000'],
  ])('a timestamp like %s', (_label, timestamp) => {
    expect(parseHmacAuthorization(header({ ...base, timestamp }))).toEqual({ ok: false, reason: 'bad_timestamp' })
  })

  it.each([
    ['63 hex chars', sig.slice(1)],
    ['65 hex chars', `${sig}0`],
    ['non-hex', `${sig.slice(1)}g`],
    ['base64', 'n2Qand2KQEFL7lDusjC4R4tv8YFH4a-l8MXLz-tM5IU'],
    ['a sha256= prefix', `sha256=${sig}`],
  ])('a signature that is %s', (_label, signature) => {
    expect(parseHmacAuthorization(header({ ...base, signature }))).toEqual({ ok: false, reason: 'bad_signature' })
  })

  it.each([
    ['too short', 'abc1234'],
    ['too long', 'n'.repeat(129)],
    ['with a dot', 'abc.12345'],
    ['with a slash', 'abc/12345'],
  ])('a nonce %s', (_label, value) => {
    expect(parseHmacAuthorization(header({ ...base, nonce: value }))).toEqual({ ok: false, reason: 'bad_nonce' })
  })

  it('accepts nonces at the 8 and 128 character limits', () => {
    expect(parseHmacAuthorization(header({ ...base, nonce: 'n'.repeat(8) })).ok).toBe(true)
    expect(parseHmacAuthorization(header({ ...base, nonce: 'n'.repeat(128) })).ok).toBe(true)
  })

  it('a client id that is too long or holds control characters', () => {
    expect(parseHmacAuthorization(header({ ...base, client_id: 'c'.repeat(128) })).ok).toBe(true)
    expect(parseHmacAuthorization(header({ ...base, client_id: 'c'.repeat(129) }))).toEqual({
      ok: false,
      reason: 'bad_client_id',
    })
    expect(parseHmacAuthorization(header({ ...base, client_id: 'a\u0085b' }))).toEqual({
      ok: false,
      reason: 'bad_client_id',
    })
    for (const control of ['\u0000', '\n', '\r', '\t', '\u001b', '\u007f']) {
      expect(parseHmacAuthorization(header({ ...base, client_id: `a${control}b` }))).toEqual({
        ok: false,
        reason: 'bad_client_id',
      })
    }
  })

  it('a bad version token', () => {
    expect(parseHmacAuthorization(`${canonical},version="1 2"`)).toEqual({ ok: false, reason: 'bad_version' })
    expect(parseHmacAuthorization(`${canonical},version="${'1'.repeat(17)}"`)).toEqual({
      ok: false,
      reason: 'bad_version',
    })
  })

  it.each([
    ['trailing text', `${canonical} extra`],
    ['a trailing comma', `${canonical},`],
    ['a trailing key without value', `${canonical},foo`],
    ['an empty element', canonical.replace('",nonce', '",,nonce')],
    ['pairs separated by spaces only', canonical.replaceAll('",', '" ')],
    ['a semicolon separator', canonical.replaceAll('",', '";')],
    ['an unterminated quote', canonical.slice(0, -1)],
    ['text glued after a quoted value', `${canonical}x`],
    ['an embedded quote', header({ ...base, client_id: 'a"b' })],
    ['an embedded comma', header({ ...base, client_id: 'a,b' })],
    ['an escaped quote', canonical.replace(`"${clientId}"`, '"a\\"b"')],
    ['a backslash', header({ ...base, client_id: 'a\\b' })],
    ['a key without =', canonical.replace('nonce=', 'nonce ')],
    ['a second scheme', `${canonical}, HMAC client_id="x"`],
    ['a CRLF injection', `${canonical}\r\nX-Injected: 1`],
    ['a control character in a reserved key', `${canonical},digest="a\u0000b"`],
  ])('%s', (_label, value) => {
    expect(parseHmacAuthorization(value)).toEqual({ ok: false, reason: 'malformed' })
  })

  it('a header longer than 4 KiB, before parsing it', () => {
    const padding = 'x'.repeat(MAX_HMAC_HEADER_LENGTH)
    expect(parseHmacAuthorization(`${canonical},headers="${padding}"`)).toEqual({ ok: false, reason: 'too_long' })
    expect(parseHmacAuthorization(`Bearer ${padding}`)).toEqual({ ok: false, reason: 'too_long' })
    const atLimit = `${canonical},headers="${'x'.repeat(MAX_HMAC_HEADER_LENGTH - canonical.length - 11)}"`
    expect(atLimit).toHaveLength(MAX_HMAC_HEADER_LENGTH)
    expect(parseHmacAuthorization(atLimit).ok).toBe(true)
  })
})

describe("parseHmacAuthorization's shortcut for the signers' exact form", () => {
  it('reads a v2 header as the full grammar does', () => {
    const v2 = `HMAC version="2",client_id="${clientId}",timestamp="1700000000",nonce="${nonce}",signature="${sig}"`
    expect(parseHmacAuthorization(v2)).toEqual({ ok: true, params: { ...expected, version: '2' } })
    expect(parseHmacAuthorization(v2)).toEqual(parseAnyForm(v2))
  })

  it('never disagrees with the full grammar (20,000 random headers near the exact form)', () => {
    let seed = 0x2545f491
    const next = () => {
      seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0
      return seed
    }
    const pick = <T>(items: readonly T[]): T => items[next() % items.length] as T
    const chars = [
      'a',
      'Z',
      '9',
      '-',
      '_',
      '.',
      '"',
      ',',
      '\\',
      ' ',
      '=',
      '\u0001',
      '\u007f',
      '\u0085',
      '\u00e9',
      '\u6771',
    ]
    const text = (lengths: readonly number[], alphabet: readonly string[]) => {
      const length = pick(lengths)
      let out = ''
      for (let i = 0; i < length; i++) out += pick(alphabet)
      return out
    }
    const hex = ['0', '9', 'a', 'f', 'A', 'F', 'g']
    let refused = 0
    for (let n = 0; n < 20_000; n++) {
      // Half of them in the exact form with valid values, the other half with any part varied.
      const clean = n % 2 === 0
      const vary = () => !clean && next() % 3 === 0
      const id = vary() ? text([0, 1, 5, 127, 128, 129], chars) : text([1, 36, 128], ['a', '-', '\u00e9'])
      const ts = vary()
        ? pick(['00', '01', '1000000000000', '-1', '1e9', ''])
        : pick(['0', '1700000000', '999999999999'])
      const nc = vary() ? text([0, 7, 8, 128, 129], chars) : text([8, 36, 128], ['a', 'Z', '0', '-', '_'])
      const sg = vary() ? text([63, 64, 65], hex) : text([64], hex.slice(0, 6))
      const version = vary()
        ? pick(['version="1",', 'version="3",', 'v="2",', 'VERSION="2",'])
        : pick(['', 'version="2",'])
      const scheme = vary() ? pick(['hmac ', 'HMAC  ', ' HMAC ', 'HMAC\t']) : 'HMAC '
      const sep = vary() ? pick([', ', ' ,', ',,']) : ','
      const tail = vary() ? pick([' ', ',', ',digest="x"', ',nonce="abcdefgh"']) : ''
      const value = `${scheme}${version}client_id="${id}"${sep}timestamp="${ts}",nonce="${nc}",signature="${sg}"${tail}`
      const parsed = parseHmacAuthorization(value)
      expect(parsed, value).toEqual(parseAnyForm(value))
      if (clean) expect(parsed.ok, value).toBe(true)
      else if (!parsed.ok) refused++
    }
    // The varied half reaches the refusals too, not only the other accepted spellings.
    expect(refused).toBeGreaterThan(3_000)
  })
})
