import { describe, expect, it } from 'vitest'
import type { Measurement } from './measure'
import { combineRounds, type Row, withRatios } from './report'

const m = (rps: number, p99Ms = 1, authz: Record<string, number> = {}): Measurement => ({
  rps,
  p50Ms: 0.5,
  p99Ms,
  requests: rps * 10,
  unexpected: 0,
  socketErrors: 0,
  authz,
})

const round = (base: number, authz: number): Row[] =>
  withRatios([
    { key: 'baseline', group: 'direct', label: 'b', vs: 'baseline', measurement: m(base) },
    {
      key: 'direct.api_key',
      group: 'direct',
      label: 'k',
      vs: 'baseline',
      measurement: m(authz, 2, { authenticated: authz }),
    },
  ])

describe('combineRounds', () => {
  it('reports medians, sums counts, and takes the median of each round own ratio', () => {
    // Round 2 is slow for both rows: its req/s are off, its ratio is not.
    const rows = combineRounds([round(1000, 750), round(500, 400), round(1100, 880)])
    const key = rows.find((r) => r.key === 'direct.api_key')
    expect(key?.measurement?.rps).toBe(750)
    expect(key?.ratio).toBeCloseTo(0.8, 10) // 0.75, 0.8, 0.8
    expect(key?.measurement?.authz).toEqual({ authenticated: 2030 })
    expect(key?.rounds).toHaveLength(3)
    expect(rows.map((r) => r.key)).toEqual(['baseline', 'direct.api_key'])
  })

  it('passes a single round through', () => {
    const one = round(1000, 500)
    expect(combineRounds([one])).toEqual(one)
  })
})
