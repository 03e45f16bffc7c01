import type { PrivatePostgres } from '@gatekeeper/testkit/postgres'
import type { PrivateRedis } from '@gatekeeper/testkit/redis'
import type { LoadReport } from './load'

// What every fault scenario gets and gives back.

export interface FaultContext {
  pg: PrivatePostgres
  redis: PrivateRedis
  /** Scales every hold time (the smoke test runs them shorter). */
  scale: number
  log(message: string): void
}

export interface FaultResult {
  name: string
  passed: boolean
  /** [label, value] for the summary table and docs/security.md. */
  figures: Array<[string, string]>
  failures: string[]
}

export class Outcome {
  readonly figures: Array<[string, string]> = []
  readonly failures: string[] = []
  constructor(readonly name: string) {}

  figure(label: string, value: string | number): void {
    this.figures.push([label, typeof value === 'number' ? String(Math.round(value * 10) / 10) : value])
  }

  check(ok: boolean, failure: string): void {
    if (!ok) this.failures.push(failure)
  }

  /** The load's own verdict: no wrong decision, no error (5xx or no answer). */
  load(label: string, report: LoadReport): void {
    this.figure(`${label}: requests`, `${report.sent} (${Math.round(report.perSecond)}/s)`)
    this.figure(`${label}: wrong decisions / errors`, `${report.wrong} / ${report.errors}`)
    this.figure(`${label}: latency p50 / p99 / max`, `${ms(report.p50)} / ${ms(report.p99)} / ${ms(report.max)}`)
    for (const [name, probe] of Object.entries(report.probes)) {
      this.check(probe.wrong === 0, `${label} ${name}: ${probe.wrong} wrong decisions: ${probe.examples.join('; ')}`)
      this.check(probe.errors === 0, `${label} ${name}: ${probe.errors} errors: ${probe.examples.join('; ')}`)
    }
  }

  result(): FaultResult {
    return { name: this.name, passed: this.failures.length === 0, figures: this.figures, failures: this.failures }
  }
}

export function ms(value: number): string {
  return value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`
}
