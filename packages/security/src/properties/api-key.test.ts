import { generateApiKey, parseApiKey } from '@gatekeeper/crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { extractCredentials } from '../targets'

// API-key extraction (authz's credentials layer) and the key checksum (@gatekeeper/crypto): every spelling of
// one key yields that key, anything that could be read as two credentials is refused as ambiguous (400 before
// any decision), and a key one character off never passes its checksum (so it never reaches a lookup).

const RUNS = { numRuns: 2000 }
const keys = Array.from({ length: 16 }, () => generateApiKey())
const key = fc.constantFrom(...keys)
const scheme = fc.constantFrom('Bearer', 'bearer', 'BEARER', 'ApiKey', 'apikey', 'APIKEY')
const ows = fc.constantFrom('', ' ', '  ', '\t')

describe('extractCredentials: API keys', () => {
  it('every accepted spelling of a key yields exactly that key', () => {
    fc.assert(
      fc.property(key, scheme, ows, ows, (k, s, before, after) => {
        const expected = { kind: 'api_key', key: k }
        expect(extractCredentials(`${before}${s} ${k}${after}`, '')).toMatchObject({ ...expected, source: 'header' })
        expect(extractCredentials(`${before}${k}${after}`, '')).toMatchObject({ ...expected, source: 'header' })
        expect(extractCredentials(undefined, `a=1&api_key=${k}&b=2`)).toMatchObject({ ...expected, source: 'query' })
        // The same key in the header and the query is still two places: the upstream may read either.
        expect(extractCredentials(`${s} ${k}`, `api_key=${k}`)).toEqual({
          kind: 'ambiguous',
          reason: 'header_and_query_credentials',
        })
      }),
      RUNS,
    )
  })

  it('two different keys, however they are combined, are refused', () => {
    fc.assert(
      fc.property(key, key, scheme, ows, (a, b, s, sp) => {
        fc.pre(a !== b)
        const refused = [
          extractCredentials(`${s} ${a},${sp}${s} ${b}`, ''),
          extractCredentials(`${a},${sp}${b}`, ''),
          extractCredentials(`${s} ${a}`, `api_key=${b}`),
          extractCredentials(undefined, `api_key=${a}&api_key=${b}`),
          extractCredentials(undefined, `api%5Fkey=${a}&api_key=${b}`),
          extractCredentials(undefined, `api_key=${a}&api%5fkey=${b}`),
          extractCredentials(`${s} ${a}`, `API_KEY=${b}`),
          extractCredentials(`${s} ${a}`, `api_key[]=${b}`),
          extractCredentials(`${s} ${a}`, `x=1;api_key=${b}`),
          extractCredentials(`${s} ${a}`, `api_key%00=${b}`),
          extractCredentials(undefined, `api_key=${a}&Api_Key=${b}`),
        ]
        for (const c of refused) expect(c.kind).toBe('ambiguous')
        // Two keys in one value without a comma are not two credentials, just not a key.
        expect(extractCredentials(`${s} ${a}${sp === '' ? ' ' : sp}${b}`, '').kind).toBe('invalid')
      }),
      RUNS,
    )
  })

  it('never throws, and an extracted key is one visible-ASCII token without comma or quote', () => {
    const unit = fc.constantFrom(...'aZ9_-.~,;" %+=&'.split(''), 'Bearer ', 'ApiKey ', 'api_key=', '%2C', '%22', '%00')
    fc.assert(
      fc.property(fc.option(fc.string({ unit, maxLength: 40 })), fc.string({ unit, maxLength: 40 }), (h, q) => {
        const c = extractCredentials(h ?? undefined, q)
        if (c.kind === 'api_key') expect(c.key).toMatch(/^[\x21\x23-\x2b\x2d-\x7e]+$/)
      }),
      RUNS,
    )
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.string({ unit: 'binary', maxLength: 200 }),
        (h, q) => {
          expect(typeof extractCredentials(h, q).kind).toBe('string')
        },
      ),
      RUNS,
    )
  })
})

describe('parseApiKey: the checksum', () => {
  const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

  it('accepts every generated key', () => {
    for (const k of keys) expect(parseApiKey(k)).toEqual({ ok: true, key: k, format: 'gatekeeper' })
  })

  it('refuses a key with any one character changed, dropped or added', () => {
    fc.assert(
      fc.property(
        key,
        fc.nat(),
        fc.constantFrom(...BASE62),
        fc.constantFrom('change', 'drop', 'add'),
        (k, at, c, op) => {
          const i = 3 + (at % (k.length - 3)) // past the gk_ prefix
          const mutated =
            op === 'change'
              ? `${k.slice(0, i)}${c}${k.slice(i + 1)}`
              : op === 'drop'
                ? k.slice(0, i) + k.slice(i + 1)
                : k.slice(0, i) + c + k.slice(i)
          fc.pre(mutated !== k)
          expect(parseApiKey(mutated).ok).toBe(false)
        },
      ),
      RUNS,
    )
  })

  it('refuses two adjacent characters swapped', () => {
    fc.assert(
      fc.property(key, fc.nat(), (k, at) => {
        const i = 3 + (at % (k.length - 4))
        const swapped = `${k.slice(0, i)}${k[i + 1]}${k[i]}${k.slice(i + 2)}`
        fc.pre(swapped !== k)
        expect(parseApiKey(swapped).ok).toBe(false)
      }),
      RUNS,
    )
  })
})
