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

describe('withRatios, paired', () => {
  it('takes a row with its own reference against that, not against the round reference', () => {
    const rows = withRatios([
      { key: 'baseline', group: 'direct', label: 'b', vs: 'baseline', measurement: m(1000) },
      { key: 'direct.api_key', group: 'direct', label: 'k', vs: 'baseline', measurement: m(600), reference: m(800) },
      { key: 'direct.public', group: 'direct', label: 'p', vs: 'baseline', measurement: m(700) },
    ])
    expect(rows.find((r) => r.key === 'direct.api_key')?.ratio).toBeCloseTo(0.75, 10)
    expect(rows.find((r) => r.key === 'direct.public')?.ratio).toBeCloseTo(0.7, 10)
  })

  it('keeps the references of every round and reports their median', () => {
    const paired = (base: number, authz: number): Row[] =>
      withRatios([
        { key: 'baseline', group: 'direct', label: 'b', vs: 'baseline', measurement: m(1000) },
        {
          key: 'direct.api_key',
          group: 'direct',
          label: 'k',
          vs: 'baseline',
          measurement: m(authz),
          reference: m(base),
        },
      ])
    const key = combineRounds([paired(1000, 700), paired(500, 400), paired(900, 720)]).find(
      (r) => r.key === 'direct.api_key',
    )
    expect(key?.ratio).toBeCloseTo(0.8, 10) // 0.7, 0.8, 0.8
    expect(key?.reference?.rps).toBe(900)
    expect(key?.rounds?.map((r) => r.reference?.rps)).toEqual([1000, 500, 900])
  })
})
