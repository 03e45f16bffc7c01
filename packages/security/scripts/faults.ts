import { formatResults, runFaults, saveResults } from '../src/faults/run'

// pnpm faults [scenario ...]: every fault scenario (or the named ones) on loopback, on a private PostgreSQL and
// Redis, each bounded in time. Prints a summary, writes packages/security/results/faults.{md,json}, exits 1 on
// any failure. FAULTS_SCALE (default 1) scales the hold times.

const only = process.argv.slice(2).filter((arg) => !arg.startsWith('-'))
const scale = Number(process.env.FAULTS_SCALE ?? '1')
const started = new Date()
const results = await runFaults({ only, scale })
const title = `Fault scripts, ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC (\`pnpm faults\`)`
const markdown = formatResults(results, title)
console.log(`\n${markdown}`)
saveResults('faults', { started: started.toISOString(), results }, markdown)
const failed = results.filter((r) => !r.passed)
console.log(
  failed.length === 0
    ? `\nall ${results.length} fault scenarios passed`
    : `\n${failed.length} of ${results.length} FAILED`,
)
process.exit(failed.length === 0 ? 0 : 1)
