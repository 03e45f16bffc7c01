import { formatV1Authorization, formatV2Authorization, parseHmacAuthorization } from '@gatekeeper/crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { extractCredentials } from '../targets'

// The HMAC Authorization header parser (@gatekeeper/crypto) and authz's credential layer in front of it: never
// throws, and never accepts a header two readers could read differently (a key twice, a quote, a backslash or a
// comma inside a value, trailing text). Its example-based tests live in packages/crypto; these are properties.

const RUNS = { numRuns: 2000 }

const clientId = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,40}$/)
const nonce = fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/)
const timestamp = fc.integer({ min: 0, max: 4_000_000_000 })
const signature = fc.stringMatching(/^[0-9a-f]{64}$/)
const params = fc.record({ clientId, timestamp, nonce, signature })
const KEYS = ['client_id', 'timestamp', 'nonce', 'signature'] as const

/** A valid header with random (legal) spacing, key case and key order. */
const validHeader = fc
  .tuple(
    params,
    fc.shuffledSubarray([...KEYS], { minLength: 4, maxLength: 4 }),
    fc.array(fc.constantFrom('', ' ', '\t', '  '), { minLength: 12, maxLength: 12 }),
    fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    fc.constantFrom('HMAC', 'hmac', 'Hmac'),
  )
  .map(([p, order, ws, upper, scheme]) => {
    const value: Record<(typeof KEYS)[number], string> = {
      client_id: p.clientId,
      timestamp: String(p.timestamp),
      nonce: p.nonce,
      signature: p.signature,
    }
    const pairs = order.map((key, i) => {
      const name = upper[i] ? key.toUpperCase() : key
      return `${name}${ws[i * 3] ?? ''}=${ws[i * 3 + 1] ?? ''}"${value[key]}"`
    })
    return { params: p, header: `${scheme} ${pairs.join(`${ws[2] ?? ''},`)}` }
  })

describe('parseHmacAuthorization', () => {
  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        expect(typeof parseHmacAuthorization(s).ok).toBe('boolean')
        expect(typeof parseHmacAuthorization(`HMAC ${s}`).ok).toBe('boolean')
      }),
      RUNS,
    )
  })

  it('reads what the signer writes (v1 and v2), whatever the spacing, key case and order', () => {
    fc.assert(
      fc.property(params, (p) => {
        expect(parseHmacAuthorization(formatV1Authorization(p))).toEqual({ ok: true, params: p })
        expect(parseHmacAuthorization(formatV2Authorization(p))).toEqual({ ok: true, params: { ...p, version: '2' } })
      }),
      RUNS,
    )
    fc.assert(
      fc.property(validHeader, ({ params: p, header }) => {
        expect(parseHmacAuthorization(header)).toEqual({ ok: true, params: p })
      }),
      RUNS,
    )
  })

  it('refuses any key given twice, in any case and any position', () => {
    fc.assert(
      fc.property(
        validHeader,
        fc.constantFrom(...KEYS, 'version', 'v'),
        fc.string({ maxLength: 20 }),
        fc.boolean(),
        (valid, key, other, first) => {
          const extra = `${key.toUpperCase()}="${other.replace(/["\\,]/g, '')}"`
          const body = valid.header.slice(5)
          const twice =
            key === 'v' || key === 'version'
              ? `HMAC version="2",${extra},${body}` // version and its alias v are one key
              : first
                ? `HMAC ${extra},${body}`
                : `HMAC ${body},${extra}`
          const parsed = parseHmacAuthorization(twice)
          expect(parsed.ok).toBe(false)
        },
      ),
      RUNS,
    )
  })

  it('refuses a quote, backslash or comma smuggled into any value', () => {
    fc.assert(
      fc.property(
        validHeader,
        fc.constantFrom(...KEYS),
        fc.constantFrom('"', '\\"', '\\', ',', '","', '",client_id="x'),
        fc.nat(),
        (valid, key, evil, at) => {
          const { header } = valid
          const start = header.toLowerCase().indexOf(`${key}`)
          const open = header.indexOf('"', start)
          const close = header.indexOf('"', open + 1)
          const inner = header.slice(open + 1, close)
          const cut = at % (inner.length + 1)
          const tampered = `${header.slice(0, open + 1)}${inner.slice(0, cut)}${evil}${inner.slice(cut)}${header.slice(close)}`
          const parsed = parseHmacAuthorization(tampered)
          if (parsed.ok) {
            // The only way to still parse is that the smuggled text became its own, well-formed value: it must
            // then carry no quote, backslash or comma.
            for (const value of Object.values(parsed.params)) expect(String(value)).not.toMatch(/["\\,]/)
          }
          expect(parsed.ok && parsed.params[camel(key)] !== valid.params[camel(key)]).toBe(false)
        },
      ),
      RUNS,
    )
  })

  it('accepts nothing with trailing text after the last pair', () => {
    fc.assert(
      fc.property(validHeader, fc.constantFrom(' x', ',', ', ', ' "', ';a=b', ' , x="y"', '\n'), (valid, tail) => {
        expect(parseHmacAuthorization(`${valid.header}${tail}`).ok).toBe(false)
      }),
      RUNS,
    )
  })

  it('what it accepts contains no quote, comma, backslash or control character', () => {
    const unit = fc.constantFrom(
      ...'HMAC hmac client_id timestamp nonce signature = " , \\ \t 0 1 a f 9'.split(' '),
      '"',
    )
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 60 }), (s) => {
        const parsed = parseHmacAuthorization(s)
        if (!parsed.ok) return
        for (const value of Object.values(parsed.params)) {
          expect(String(value)).not.toMatch(/["\\,]/)
          expect(hasControlCharacter(String(value))).toBe(false)
        }
      }),
      RUNS,
    )
  })
})

describe("authz's credential layer in front of it", () => {
  it('refuses a joined second HMAC header and any repeated parameter', () => {
    fc.assert(
      fc.property(validHeader, validHeader, (a, b) => {
        expect(extractCredentials(`${a.header}, ${b.header}`, '').kind).toBe('ambiguous')
        expect(extractCredentials(`${a.header},${b.header.slice(5)}`, '').kind).toBe('invalid')
      }),
      RUNS,
    )
  })

  it('never pairs a signature with a query credential', () => {
    fc.assert(
      fc.property(validHeader, fc.stringMatching(/^[A-Za-z0-9_]{16,52}$/), (valid, key) => {
        expect(extractCredentials(valid.header, `api_key=${key}`)).toMatchObject({ kind: 'ambiguous' })
      }),
      RUNS,
    )
  })
})

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c < 0x20 || c === 0x7f) return true
  }
  return false
}

function camel(key: (typeof KEYS)[number]): 'clientId' | 'timestamp' | 'nonce' | 'signature' {
  return key === 'client_id' ? 'clientId' : key
}
