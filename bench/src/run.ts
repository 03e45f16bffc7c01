// `pnpm bench` (the repository root) or `pnpm --filter @gatekeeper/bench bench`: the whole benchmark in one run,
// printed as a table and written to bench/results/<timestamp>.json. docs/performance.md explains the method.
//
// Options: --seconds N (10), --warmup N (2), --rounds N (1: every scenario measured N times, medians reported),
//          --connections N (50), --workers N (cores), --changes N (200),
//          --small R:C (10:100), --large R:C (10000:100000, or 'none'), --only key[,key...], --profile,
//          --source (run authz from its TypeScript sources under tsx instead of the production bundle),
//          --redis-timeout-ms N (authz's REDIS_TIMEOUT_MS, 50; see bench.ts),
//          --authz-env NAME=VALUE[,NAME=VALUE...] (extra environment for every authz, e.g. AUDIT_LOG=false),
//          --unpaired (each reference measured once per round, not again right before each row compared with it)

import { mkdirSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { runBenchmark } from './bench'
import type { BulkSize } from './bulk'
import { RESULTS_DIR } from './paths'
import { formatSummary, formatTable } from './report'

function option(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`)
  return at < 0 ? undefined : args[at + 1]
}

function int(args: readonly string[], name: string, fallback: number): number {
  const raw = option(args, name)
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name}: expected a whole number, got ${raw}`)
  return n
}

function size(args: readonly string[], name: string, fallback: BulkSize): BulkSize | undefined {
  const raw = option(args, name)
  if (raw === undefined) return fallback
  if (raw === 'none') return undefined
  const match = /^(\d+):(\d+)$/.exec(raw)
  if (match === null) throw new Error(`--${name}: expected routes:clients, e.g. 10000:100000`)
  return { routes: Number(match[1]), clients: Number(match[2]) }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const profile = args.includes('--profile')
  const small = size(args, 'small', { routes: 10, clients: 100 })
  if (small === undefined) throw new Error('--small cannot be none')
  const only = option(args, 'only')?.split(',')
  const authzEnv: Record<string, string> = {}
  for (const pair of option(args, 'authz-env')?.split(',') ?? []) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw new Error(`--authz-env: expected NAME=VALUE, got ${pair}`)
    authzEnv[pair.slice(0, eq)] = pair.slice(eq + 1)
  }
  const report = await runBenchmark({
    mode: 'bench',
    load: { threads: 1, connections: int(args, 'connections', 50), seconds: int(args, 'seconds', 10) },
    warmupSeconds: int(args, 'warmup', 2),
    rounds: Math.max(1, int(args, 'rounds', 1)),
    paired: !args.includes('--unpaired'),
    small,
    ...(() => {
      const large = size(args, 'large', { routes: 10_000, clients: 100_000 })
      return large === undefined ? {} : { large }
    })(),
    workers: int(args, 'workers', availableParallelism()),
    authzFrom: args.includes('--source') ? 'source' : 'bundle',
    propagationChanges: int(args, 'changes', 200),
    ...(only === undefined ? {} : { only }),
    ...(profile ? { profile } : {}),
    redisTimeoutMs: int(args, 'redis-timeout-ms', 50),
    authzEnv,
    redisUrl: process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    command: ['pnpm bench', ...args].join(' '),
    log: (line) => process.stderr.write(`${line}\n`),
  })
  const table = formatTable(report)
  const summary = formatSummary(report)
  process.stdout.write(`\n${table}\n\n${summary}\n`)
  process.stdout.write(
    `\nmachine: ${report.machine.nproc} x ${report.machine.cpu}, node ${report.machine.node}, load ${report.machine.loadBefore
      .map((l) => l.toFixed(2))
      .join(' ')} -> ${report.machine.loadAfter.map((l) => l.toFixed(2)).join(' ')}\n`,
  )
  mkdirSync(RESULTS_DIR, { recursive: true })
  const file = join(RESULTS_DIR, `${report.startedAt.replaceAll(':', '-').replace(/\.\d+Z$/, 'Z')}.json`)
  const { dir, ...json } = report
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`)
  process.stdout.write(`written to ${file}\n`)
  if (profile)
    process.stdout.write(
      `CPU profiles (authz): ${dir}/*.cpuprofile — summarise with: tsx bench/src/profile-top.ts <file>\n`,
    )
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    process.exit(1)
  },
)
