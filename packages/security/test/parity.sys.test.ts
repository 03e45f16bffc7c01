import { useSuiteResource } from '@gatekeeper/testkit/suite'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parityCase, RAW_CASES, REGRESSIONS } from '../src/parity/cases'
import { runCases } from '../src/parity/run'
import { check, checkRaw, describeCase, startParityWorld } from '../src/parity/world'

// The differential test (docs/security.md): real nginx with every shipped API config in front of three upstream
// frameworks that read paths differently (Hono, Express, Flask), each mirroring authz's route table. For every
// request that reaches an upstream, the route it served must be the route authz authorized, for a client allowed
// there, and no credential authz consumed may reach it. A fixed seed here; `pnpm fuzz:parity` runs the long mode.

const SEED = 20261204
const CASES = 150

const world = useSuiteResource(
  () => startParityWorld(),
  (w) => w.close(),
)

describe('the reproductions and every counterexample found so far, through each config and upstream', () => {
  it.each(REGRESSIONS.map((c) => [`${describeCase(c)} -> ${c.outcome}`, c] as const))('%s', async (_name, c) => {
    for (const target of world.targets) {
      const result = await check(world, target, c)
      const where = `${target.config} + ${target.upstream}`
      expect(
        result.violation === undefined ? 'ok' : `${where}: ${result.violation.what}: ${result.violation.detail}`,
      ).toBe('ok')
      // Refused outright (by nginx or authz), not merely landed somewhere harmless; or served, so that the
      // credential checks of the property had something to look at.
      expect(`${where}: ${result.outcome.kind}`).toBe(`${where}: ${c.outcome}`)
    }
  })
})

describe('framing and header tricks, byte for byte, through each config and upstream', () => {
  it.each(RAW_CASES.map((c) => [c.why, c] as const))('%s', async (_name, c) => {
    for (const target of world.targets) {
      const where = `${target.config} + ${target.upstream}`
      const result = await checkRaw(world, target, c)
      expect({ where, statuses: result.statuses, violations: result.violations }).toEqual({
        where,
        statuses: c.statuses,
        violations: [],
      })
      if (c.anonymous === true) {
        expect(result.replies.map((r) => [r.clientId, r.routeId === 'spoofed'])).toEqual([[null, false]])
      }
    }
  })
})

describe('the property on generated requests (fixed seed)', () => {
  it(`holds for ${CASES} cases through every config and upstream`, async () => {
    const cases = fc.sample(parityCase, { seed: SEED, numRuns: CASES })
    const summary = await runCases(world, cases, { concurrency: 6 })
    const found = summary.found.map(
      (f) => `${f.config} + ${f.upstream}: ${describeCase(f.case)}: ${f.violation.what}: ${f.violation.detail}`,
    )
    expect(found).toEqual([])
    // The run must exercise every upstream both ways, or it proves nothing.
    for (const tally of Object.values(summary.perUpstream)) {
      expect(tally.served).toBeGreaterThan(0)
      expect(tally.refused + tally.closed).toBeGreaterThan(0)
    }
    expect(Object.keys(summary.perUpstream).sort()).toEqual(['express', 'flask', 'hono'])
  })
})
