import { describe, expect, it } from 'vitest'
import { checkTimestamp } from './timestamp'

describe('checkTimestamp', () => {
  const now = 1_700_000_000

  it('accepts timestamps within the tolerance either side, edges included', () => {
    expect(checkTimestamp(now, now)).toBe(true)
    expect(checkTimestamp(now - 300, now)).toBe(true)
    expect(checkTimestamp(now + 300, now)).toBe(true)
  })

  it('rejects timestamps beyond the tolerance in the past or the future', () => {
    expect(checkTimestamp(now - 301, now)).toBe(false)
    expect(checkTimestamp(now + 301, now)).toBe(false)
    expect(checkTimestamp(0, now)).toBe(false)
  })

  it('honours a custom tolerance', () => {
    expect(checkTimestamp(now - 30, now, 30)).toBe(true)
    expect(checkTimestamp(now - 31, now, 30)).toBe(false)
  })

  it('fails closed on NaN and infinities', () => {
    expect(checkTimestamp(Number.NaN, now)).toBe(false)
    expect(checkTimestamp(now, Number.NaN)).toBe(false)
    expect(checkTimestamp(Number.POSITIVE_INFINITY, now)).toBe(false)
    expect(checkTimestamp(now, now, Number.NaN)).toBe(false)
  })
})
