import { saveResults } from '../src/faults/run'
import { formatSoak } from '../src/soak/format'
import { runSoak } from '../src/soak/run'

// pnpm soak: authz behind nginx at half its measured capacity for SOAK_SECONDS (default 600) with a mix of
// scenarios and a live configuration change every SOAK_CHANGE_MS (default 5000). Prints a summary, writes
// packages/security/results/soak.{md,json}, exits 1 on a wrong decision, an error, authz RSS moving more than
// 10% after warm-up, or metric series growing beyond those of routes created during the soak.

const seconds = Number(process.env.SOAK_SECONDS ?? '600')
const fraction = Number(process.env.SOAK_FRACTION ?? '0.5')
const changeEveryMs = Number(process.env.SOAK_CHANGE_MS ?? '5000')
const started = new Date()
const result = await runSoak({ seconds, fraction, changeEveryMs, log: (m) => console.log(m) })
const markdown = formatSoak(result, started, seconds)
console.log(`\n${markdown}`)
saveResults('soak', { started: started.toISOString(), seconds, result }, markdown)
process.exit(result.passed ? 0 : 1)
