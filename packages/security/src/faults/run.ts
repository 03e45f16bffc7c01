import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startPrivatePostgres } from '@gatekeeper/testkit/postgres'
import { stopAll } from '@gatekeeper/testkit/process'
import { PrivateRedis } from '@gatekeeper/testkit/redis'
import type { FaultContext, FaultResult } from './result'
import { aegisOutage } from './scenarios/aegis-outage'
import { authzKill } from './scenarios/authz-kill'
import { listenKill } from './scenarios/listen-kill'
import { postgresRestart } from './scenarios/postgres-restart'
import { redisRestart } from './scenarios/redis-restart'

// Runs the fault scenarios one after another on a private PostgreSQL cluster and a private Redis (never the
// machine's shared ones), bounded in time, and reports each one's figures and verdict.

const SCENARIOS: Record<string, (ctx: FaultContext) => Promise<FaultResult>> = {
  'postgres-restart': postgresRestart,
  'listen-kill': listenKill,
  'redis-restart': redisRestart,
  'aegis-outage': aegisOutage,
  'authz-kill': authzKill,
}

const RESULTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../results')

export interface RunOptions {
  only?: readonly string[]
  scale?: number
  log?: (message: string) => void
  /** Every scenario must finish within this. */
  scenarioTimeoutMs?: number
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

export async function runFaults(options: RunOptions = {}): Promise<FaultResult[]> {
  const log = options.log ?? ((message: string) => console.log(message))
  const names = options.only?.length ? options.only : Object.keys(SCENARIOS)
  for (const name of names) if (SCENARIOS[name] === undefined) throw new Error(`unknown scenario ${name}`)
  const pg = await startPrivatePostgres()
  const redis = await PrivateRedis.start()
  const ctx: FaultContext = { pg, redis, scale: options.scale ?? 1, log: (m) => log(`    ${m}`) }
  const results: FaultResult[] = []
  try {
    for (const name of names) {
      const scenario = SCENARIOS[name]
      if (scenario === undefined) continue
      log(`\n${name}`)
      const started = performance.now()
      try {
        results.push(await withTimeout(scenario(ctx), options.scenarioTimeoutMs ?? 180_000, name))
      } catch (err) {
        results.push({ name, passed: false, figures: [], failures: [err instanceof Error ? err.message : String(err)] })
        // Leave the next scenario a working Redis and PostgreSQL whatever this one broke.
        if (!redis.running) await redis.start().catch(() => undefined)
        try {
          pg.start()
        } catch {
          // already running
        }
      }
      const last = results[results.length - 1]
      log(`  ${last?.passed ? 'PASS' : 'FAIL'} in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    }
  } finally {
    await redis.stop().catch(() => undefined)
    pg.destroy()
    await stopAll()
  }
  return results
}

export function formatResults(results: readonly FaultResult[], title: string): string {
  const lines = [`### ${title}`, '']
  for (const r of results) {
    lines.push(`**${r.name}: ${r.passed ? 'pass' : 'FAIL'}**`, '', '| | |', '|---|---|')
    for (const [label, value] of r.figures) lines.push(`| ${label} | ${value} |`)
    lines.push('')
    for (const failure of r.failures) lines.push(`- FAILURE: ${failure}`)
    if (r.failures.length > 0) lines.push('')
  }
  return lines.join('\n')
}

export function saveResults(name: string, results: unknown, markdown: string): void {
  mkdirSync(RESULTS_DIR, { recursive: true })
  writeFileSync(resolve(RESULTS_DIR, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`)
  writeFileSync(resolve(RESULTS_DIR, `${name}.md`), `${markdown}\n`)
}
