// The differential test's long mode (docs/security.md): N generated cases per upstream through real nginx and
// real authz, each case sent to all three upstreams through one shipped config (the configs take turns).
//
//   pnpm fuzz:parity [cases] [seed]          (or PARITY_CASES / PARITY_SEED)
//
// Prints the tallies and every counterexample found (up to 50), and exits 1 if there is any.
import fc from 'fast-check'
import { parityCase } from '../src/parity/cases'
import { runCases } from '../src/parity/run'
import { CONFIGS, describeCase, startParityWorld } from '../src/parity/world'

const cases = Number(process.argv[2] ?? process.env.PARITY_CASES ?? 100_000)
const seed = Number(process.argv[3] ?? process.env.PARITY_SEED ?? Date.now() % 2 ** 31)
if (!Number.isInteger(cases) || cases <= 0 || !Number.isInteger(seed)) {
  console.error('usage: pnpm fuzz:parity [cases] [seed]')
  process.exit(2)
}

const world = await startParityWorld()
// Ctrl-C (or a CI timeout's SIGTERM) must not leave nginx, authz or Flask running.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`${signal}: stopping`)
    void world.close().finally(() => process.exit(130))
  })
}
let exitCode = 0
try {
  console.log(`parity: ${cases} cases per upstream, seed ${seed}, ${world.targets.length} nginx instances`)
  const generated = fc.sample(parityCase, { seed, numRuns: cases })
  const summary = await runCases(world, generated, {
    concurrency: 12,
    targetsFor: (index) => {
      const config = CONFIGS[index % CONFIGS.length]
      return world.targets.filter((t) => t.config === config)
    },
    onProgress: (done) => {
      if (done % 10_000 === 0) console.log(`  ${done} cases`)
    },
  })
  console.log(
    JSON.stringify(
      { seed, cases: summary.cases, seconds: Math.round(summary.ms / 1000), perUpstream: summary.perUpstream },
      null,
      2,
    ),
  )
  for (const f of summary.found) {
    console.log(
      `COUNTEREXAMPLE ${f.config} + ${f.upstream}: ${describeCase(f.case)}: ${f.violation.what}: ${f.violation.detail}`,
    )
  }
  if (summary.found.length > 0) exitCode = 1
} finally {
  await world.close()
}
process.exit(exitCode)
