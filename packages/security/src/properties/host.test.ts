import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseHost } from '../targets'

// Host parsing (what routes are keyed on): one name however it is spelled (case, port, one trailing dot), and
// nothing accepted that another parser could read as a different host (userinfo, a list, whitespace).

const RUNS = { numRuns: 2000 }
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/)
const name = fc.array(label, { minLength: 1, maxLength: 5 }).map((labels) => labels.join('.'))
const port = fc.integer({ min: 0, max: 65535 })

function flipCase(s: string, mask: readonly boolean[]): string {
  return [...s].map((c, i) => (mask[i % mask.length] ? c.toUpperCase() : c)).join('')
}

describe('parseHost', () => {
  it('one host however it is spelled: case, port, one trailing dot', () => {
    fc.assert(
      fc.property(name, port, fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), (host, p, mask) => {
        const expected = { ok: true, host }
        expect(parseHost(host)).toEqual(expected)
        expect(parseHost(flipCase(host, mask))).toEqual(expected)
        expect(parseHost(`${host}:${p}`)).toEqual(expected)
        expect(parseHost(`${flipCase(host, mask)}.:${p}`)).toEqual(expected)
        expect(parseHost(`${host}.`)).toEqual(expected)
      }),
      RUNS,
    )
  })

  it('refuses userinfo, lists, whitespace, two trailing dots and out-of-range ports', () => {
    fc.assert(
      fc.property(name, name, (a, b) => {
        for (const bad of [
          `${a}@${b}`,
          `${a},${b}`,
          `${a}, ${b}`,
          `${a} ${b}`,
          ` ${a}`,
          `${a}\t`,
          `${a}..`,
          `${a}:65536`,
          `${a}:-1`,
          `${a}:80:80`,
          `${a}/x`,
          `${a}\\${b}`,
          `${a}%2e${b}`,
        ]) {
          expect(parseHost(bad).ok, bad).toBe(false)
        }
      }),
      RUNS,
    )
  })

  it('never throws; what it accepts is a lower-case name or a bracketed IPv6 literal, and stable', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
        const r = parseHost(s)
        if (!r.ok) return
        expect(r.host).toMatch(/^(?:[a-z0-9_.-]+|\[[0-9a-f:.]+\])$/)
        expect(parseHost(r.host)).toEqual(r)
      }),
      RUNS,
    )
  })

  it('IPv6 literals keep their brackets and lose their port', () => {
    fc.assert(
      fc.property(fc.ipV6(), port, (ip, p) => {
        const r = parseHost(`[${ip}]:${p}`)
        expect(r).toEqual({ ok: true, host: `[${ip.toLowerCase()}]` })
      }),
      { numRuns: 500 },
    )
  })
})
