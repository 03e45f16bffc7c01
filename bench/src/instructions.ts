// `pnpm --filter @gatekeeper/bench instructions [requests]`: instructions per request of the minimal Hono server
// and of authz per scenario (instructions-count.ts; valgrind from Debian's packages; ~5 minutes).
//
// INSTRUCTIONS_KINDS=api_key,public (a subset), GATEKEEPER_AUTHZ_BUNDLE=<main.js> (count an authz built elsewhere,
// e.g. an older commit's bundle, for before/after), INSTRUCTIONS_JSON=<file> (write the samples as JSON),
// KEEP_CALLGRIND=1 (keep the dumps and print their folder) and NODE_OPTIONS=--perf-basic-prof (node writes
// /tmp/perf-<pid>.map, which names the JIT code addresses callgrind_annotate shows as ???; docs/performance.md
// shows how they were read).

import { writeFileSync } from 'node:fs'
import { countInstructions, DEFAULT_KINDS, describe, lowest } from './instructions-count'
import type { DirectKind } from './requests'

async function main(): Promise<void> {
  const requests = Number(process.argv[2] ?? '2000')
  const kinds = (process.env.INSTRUCTIONS_KINDS?.split(',') as DirectKind[] | undefined) ?? DEFAULT_KINDS
  const result = await countInstructions({
    kinds,
    requests,
    ...(process.env.INSTRUCTIONS_WARMUP === undefined ? {} : { warmup: Number(process.env.INSTRUCTIONS_WARMUP) }),
    ...(process.env.INSTRUCTIONS_SAMPLES === undefined ? {} : { samples: Number(process.env.INSTRUCTIONS_SAMPLES) }),
    baseline: process.env.INSTRUCTIONS_BASELINE !== 'false',
    ...(process.env.GATEKEEPER_AUTHZ_BUNDLE === undefined ? {} : { bundle: process.env.GATEKEEPER_AUTHZ_BUNDLE }),
    keep: process.env.KEEP_CALLGRIND !== undefined,
    log: (line) => process.stderr.write(`${line}\n`),
  })
  const base = result.samples.baseline === undefined ? undefined : lowest(result.samples.baseline.work)
  for (const [name, samples] of Object.entries(result.samples)) {
    const ratio = base === undefined ? '' : `  x${(lowest(samples.work) / base).toFixed(2)} baseline`
    process.stdout.write(`${name.padEnd(10)} ${describe(samples)}${ratio}\n`)
  }
  if (process.env.INSTRUCTIONS_JSON !== undefined) {
    writeFileSync(process.env.INSTRUCTIONS_JSON, `${JSON.stringify(result, null, 2)}\n`)
  }
  if (process.env.KEEP_CALLGRIND !== undefined) process.stdout.write(`callgrind dumps kept in ${result.dir}\n`)
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`instructions: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    process.exit(1)
  },
)
