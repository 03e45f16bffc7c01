import { describe, expect, it } from 'vitest'
import { parseDuration, parseSince } from './duration'

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
  it('refuses what it cannot read', () => {
    expect(() => parseSince('last tuesday', '--since', now)).toThrow(/--since: "last tuesday" is not a time/)
  })
})
