import { type AuthzProcess, startAuthz } from '@gatekeeper/testkit/apps'
import { Load, warmUp } from '../load'
import type { FaultContext, Outcome } from '../result'
import { authzEnv, createFaultWorld, type FaultWorld, steadyProbes } from '../world'

// The start of the single-authz scenarios: a fault world in database `name`, one authz on it, and the steady
// traffic (direct to authz, 16 concurrent) running after a warm-up. `finish` reports that traffic into `out` and
// stops everything.

export interface AuthzUnderLoad {
  world: FaultWorld
  authz: AuthzProcess
  finish(out: Outcome): Promise<void>
}

export async function authzUnderLoad(ctx: FaultContext, name: string): Promise<AuthzUnderLoad> {
  const world = await createFaultWorld(ctx.pg, name)
  const authz = await startAuthz({ env: authzEnv(world, ctx.redis.url) })
  const options = { port: authz.port, probes: steadyProbes(world), concurrency: 16, direct: true }
  await warmUp(options)
  const load = new Load(options).start()
  return {
    world,
    authz,
    async finish(out) {
      out.load('steady traffic (direct to authz, 16 concurrent)', await load.stop())
      await authz.stop()
      await world.close()
    },
  }
}
