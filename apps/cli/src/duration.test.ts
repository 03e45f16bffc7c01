import { describe, expect, it } from 'vitest'
import { parseDuration, parseExpiry, parseSince } from './duration'

describe('parseDuration', () => {
  it.each([
    ['90', 90],
    ['90s', 90],
    ['15m', 900],
    ['2h', 7200],
    ['7d', 604_800],
  ])('%s is %i seconds', (text, seconds) => {
    expect(parseDuration(text, '--grace')).toBe(seconds)
  })

  it('names the flag when it cannot read the value', () => {
    expect(() => parseDuration('1w', '--grace')).toThrow('--grace: "1w" is not a duration')
  })
})

describe('parseSince', () => {
  const now = 1_700_000_000
  it('reads epoch seconds, ISO dates and ages', () => {
    expect(parseSince('1600000000', '--since', now)).toBe(1_600_000_000)
    expect(parseSince('2024-01-01T00:00:00Z', '--since', now)).toBe(1_704_067_200)
    expect(parseSince('2h', '--since', now)).toBe(now - 7200)
  })
  it.each(['last tuesday', 'May 5', '1', '2024-02-30'])('refuses %j (no guess at a year or a day)', (text) => {
    expect(() => parseSince(text, '--since', now)).toThrow(/--since: ".*" is not a time/)
  })
})

describe('parseExpiry', () => {
  const now = 1_700_000_000
  it('reads spans from now, ISO times and epoch seconds', () => {
    expect(parseExpiry('30d', '--expires', now)).toBe(now + 30 * 86_400)
    expect(parseExpiry('12h', '--expires', now)).toBe(now + 12 * 3600)
    expect(parseExpiry('2026-12-31T18:00:00Z', '--expires', now)).toBe(1_798_740_000)
    expect(parseExpiry('2026-12-31', '--expires', now)).toBe(1_798_675_200)
    expect(parseExpiry('2026-12-31T18:00:00+02:00', '--expires', now)).toBe(1_798_732_800)
    expect(parseExpiry('1900000000', '--expires', now)).toBe(1_900_000_000)
    expect(parseExpiry('2028-02-29', '--expires', now)).toBe(1_835_395_200)
  })
  it.each([
    'friday',
    '30',
    '1w',
    'May 5',
    '',
    // Days the month does not have: a date parser rolls them into the next month.
    '2026-02-29',
    '2026-02-31T10:00:00Z',
    '2026-04-31',
    '2026-12-31T25:00Z',
  ])('refuses %j naming the flag', (text) => {
    expect(() => parseExpiry(text, '--expires', now)).toThrow(/--expires: ".*" is not an expiry/)
  })
})
