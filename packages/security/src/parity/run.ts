import type { ParityCase } from './cases'
import type { Violation } from './judge'
import { check, type ParityWorld, type Target } from './world'

// Runs many cases through every target, a few at a time, counting what happened per upstream.

export interface Found {
  case: ParityCase
  config: string
  upstream: string
  violation: Violation
}

export interface Tally {
  requests: number
  served: number
  notServed: number
  refused: number
  closed: number
  /** Answers by HTTP status (`closed`: no answer). */
  byStatus: Record<string, number>
}

export interface RunSummary {
  cases: number
  perUpstream: Record<string, Tally>
  found: Found[]
  ms: number
}

function emptyTally(): Tally {
  return { requests: 0, served: 0, notServed: 0, refused: 0, closed: 0, byStatus: {} }
}

/**
 * Each case goes to `targetsFor(index)` (every target, or one config per case in the long run).
 * Stops collecting after `maxFound` counterexamples.
 */
export async function runCases(
  world: ParityWorld,
  cases: readonly ParityCase[],
  options: {
    concurrency?: number
    targetsFor?: (index: number) => readonly Target[]
    maxFound?: number
    onProgress?: (done: number) => void
  } = {},
): Promise<RunSummary> {
  const started = performance.now()
  const perUpstream: Record<string, Tally> = {}
  const found: Found[] = []
  const targetsFor = options.targetsFor ?? (() => world.targets)
  const maxFound = options.maxFound ?? 50
  let next = 0
  let done = 0
  const worker = async () => {
    for (;;) {
      const index = next++
      const c = cases[index]
      if (c === undefined) return
      const results = await Promise.all(targetsFor(index).map((target) => check(world, target, c)))
      for (const result of results) {
        const { target } = result
        perUpstream[target.upstream] ??= emptyTally()
        const tally = perUpstream[target.upstream] ?? emptyTally()
        tally.requests += 1
        const status = String(result.outcome.kind === 'served' ? 200 : result.outcome.status)
        tally.byStatus[status] = (tally.byStatus[status] ?? 0) + 1
        if (result.outcome.kind === 'served') tally.served += 1
        else if (result.outcome.kind === 'not_served') tally.notServed += 1
        else if (result.outcome.status === 'closed') tally.closed += 1
        else tally.refused += 1
        if (result.violation !== undefined && found.length < maxFound) {
          found.push({ case: c, config: target.config, upstream: target.upstream, violation: result.violation })
        }
      }
      done += 1
      if (done % 1000 === 0) options.onProgress?.(done)
    }
  }
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker))
  return { cases: cases.length, perUpstream, found, ms: performance.now() - started }
}
