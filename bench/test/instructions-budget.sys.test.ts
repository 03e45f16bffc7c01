// The guard that keeps authz fast: instructions per request of each budgeted scenario, counted with callgrind
// (instructions-count.ts), against the budgets committed in bench/instructions-budget.json. A scenario that costs
// more than its budget + tolerance fails the test with the scenario and the figure. Unlike req/s on a shared
// machine the count repeats within a few percent, so the check holds on a busy CI box too.
// Budgets only move down, each time with the measurement in the commit message (docs/performance.md).

import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { countInstructions, lowest } from '../src/instructions-count'
import { REPO_ROOT } from '../src/paths'
import type { DirectKind } from '../src/requests'

interface Budget {
  /** Allowed excess over a budget before the test fails, e.g. 0.15. */
  tolerance: number
  /** Requests per sample, uncounted warm-up and samples per scenario, as the budgets were measured. */
  requests: number
  warmup: number
  samples: number
  /** Instructions per request (the `work` figure) per scenario. */
  scenarios: Partial<Record<DirectKind, number>>
}

const budget: Budget = JSON.parse(readFileSync(join(REPO_ROOT, 'bench/instructions-budget.json'), 'utf8'))

const valgrind = spawnSync('valgrind', ['--version'], { encoding: 'utf8' })
const missing = valgrind.error !== undefined || valgrind.status !== 0
if (missing) {
  process.stdout.write('instructions budget: SKIPPED, valgrind is not installed (apt-get install valgrind)\n')
}

describe('instructions per request within the committed budgets', () => {
  it.skipIf(missing)(
    'every budgeted scenario costs at most its budget + tolerance',
    async () => {
      const kinds = Object.keys(budget.scenarios) as DirectKind[]
      const result = await countInstructions({
        kinds,
        requests: budget.requests,
        warmup: budget.warmup,
        samples: budget.samples,
        log: (line) => process.stdout.write(`instructions: ${line}\n`),
      })
      const over: string[] = []
      for (const kind of kinds) {
        const limit = budget.scenarios[kind] ?? 0
        const measured = lowest(result.samples[kind]?.work ?? [Number.NaN])
        const line = `${kind}: ${(measured / 1000).toFixed(1)}k instructions per request, budget ${(limit / 1000).toFixed(1)}k`
        process.stdout.write(`instructions: ${line}\n`)
        if (!(measured <= limit * (1 + budget.tolerance))) {
          over.push(`${line} (+${((measured / limit - 1) * 100).toFixed(0)}%, more than ${budget.tolerance * 100}%)`)
        }
      }
      expect(over, 'scenarios over their instruction budget').toEqual([])
    },
    // Bounded: one authz under valgrind, five scenarios of 1,200 warm-up and 2 x 500 counted requests (the machine's
    // load stretches it, the counts stay).
    300_000,
  )
})
