import type { Agent } from 'node:http'
import { sleep } from '@gatekeeper/testkit/ports'
import { ACTOR } from './fixtures'
import { healthVersion, keepAliveAgent } from './http'
import { percentile } from './stats'
import type { World } from './world'

// From a committed configuration change to its application in each running authz: rename a route through the
// admin operations (commit, trigger, NOTIFY), then poll every instance's /health back to back until its
// snapshot version reaches the committed one. The clock starts when the commit has returned.

export interface PropagationResult {
  changes: number
  /** Changes an instance had not applied within the timeout. */
  missed: number
  instances: Array<{ name: string; p50Ms: number; p99Ms: number; maxMs: number }>
  /** Over every (change, instance) pair. */
  p50Ms: number
  p99Ms: number
  maxMs: number
}

export interface Watched {
  name: string
  port: number
}

async function appliedAfter(port: number, agent: Agent, version: number, t0: number, timeoutMs: number) {
  for (;;) {
    const seen = await healthVersion(port, agent).catch(() => undefined)
    const elapsed = performance.now() - t0
    if (seen !== undefined && seen >= version) return elapsed
    if (elapsed > timeoutMs) return undefined
  }
}

export async function measurePropagation(
  world: World,
  instances: readonly Watched[],
  changes: number,
  timeoutMs = 5000,
): Promise<PropagationResult> {
  const watched = instances.map((inst) => ({ ...inst, agent: keepAliveAgent(), samples: [] as number[] }))
  let missed = 0
  try {
    for (let i = 0; i < changes; i++) {
      await world.admin.routes.update(ACTOR, world.fixtures.routes.propagation, {
        service_name: `bench-propagation-${i}`,
      })
      const t0 = performance.now()
      const version = await world.version()
      await Promise.all(
        watched.map(async (w) => {
          const ms = await appliedAfter(w.port, w.agent, version, t0, timeoutMs)
          if (ms === undefined) missed++
          else w.samples.push(ms)
        }),
      )
      // Not in lockstep with anything periodic in authz.
      await sleep(Math.floor(Math.random() * 10))
    }
  } finally {
    for (const w of watched) w.agent.destroy()
  }
  const all = watched.flatMap((w) => w.samples)
  return {
    changes,
    missed,
    instances: watched.map((w) => ({
      name: w.name,
      p50Ms: percentile(w.samples, 50),
      p99Ms: percentile(w.samples, 99),
      maxMs: Math.max(...w.samples),
    })),
    p50Ms: percentile(all, 50),
    p99Ms: percentile(all, 99),
    maxMs: Math.max(...all),
  }
}
