import { authzHealth, sleep, until } from '../health'
import { type FaultContext, type FaultResult, ms, Outcome } from '../result'
import { createFreshRoute, grantNewbie, probeChanges, suspendVictim } from './changes'
import { authzUnderLoad } from './under-load'

// PostgreSQL crashes (pg_ctl stop -m immediate) while authz serves traffic, stays down, comes back, and changes
// are committed the moment it is back, before authz has reconnected. authz must keep deciding from its snapshot
// (zero wrong decisions), report itself degraded, reconnect by itself and apply the changes it missed.

export async function postgresRestart(ctx: FaultContext): Promise<FaultResult> {
  const out = new Outcome('PostgreSQL restarted under load')
  const running = await authzUnderLoad(ctx, 'gk_fault_pg_restart')
  const { world, authz } = running
  try {
    await sleep(2000 * ctx.scale)
    ctx.log('postgres: stop -m immediate')
    ctx.pg.stop('immediate')
    const detected = await until(
      'authz reports postgres down',
      async () => (await authzHealth(authz.port))?.postgres === 'down',
      20_000,
    )
    out.figure('outage noticed by authz after', ms(detected))
    await sleep(5000 * ctx.scale)
    ctx.pg.start()
    ctx.log('postgres: started again; committing changes before authz reconnects')
    const committed = performance.now()
    await suspendVictim(world)
    await grantNewbie(world)
    const freshRouteId = await createFreshRoute(world)
    const target = await world.version()
    const healthAtCommit = await authzHealth(authz.port)
    out.figure(
      'authz state when the changes were committed',
      `postgres ${healthAtCommit?.postgres}, version ${healthAtCommit?.version}`,
    )
    await until(
      'authz applies the changes',
      async () => ((await authzHealth(authz.port))?.version ?? 0) >= target,
      30_000,
    )
    out.figure('changes committed at restart in effect after', ms(performance.now() - committed))
    const health = await authzHealth(authz.port)
    out.check(
      health?.postgres === 'up' && health.status === 'ok',
      `authz health after recovery: ${JSON.stringify(health)}`,
    )
    await probeChanges(out, authz.port, world, freshRouteId)
    await sleep(2000 * ctx.scale)
  } finally {
    await running.finish(out)
  }
  return out.result()
}
