import { authzHealth, counter, sleep, until } from '../health'
import { type FaultContext, type FaultResult, ms, Outcome } from '../result'
import { createFreshRoute, grantNewbie, probeChanges, suspendVictim } from './changes'
import { authzUnderLoad } from './under-load'

// authz's LISTEN connection is killed from the server side (pg_terminate_backend), three times, and each time
// changes are committed at once, while no one is listening for their notifications. authz must notice, reconnect,
// see from the version that it missed something, and apply it; traffic is decided from the snapshot meanwhile.

export async function listenKill(ctx: FaultContext): Promise<FaultResult> {
  const out = new Outcome('LISTEN connection killed (pg_terminate_backend)')
  const running = await authzUnderLoad(ctx, 'gk_fault_listen_kill')
  const { world, authz } = running
  const delays: number[] = []
  let freshRouteId = ''
  try {
    await sleep(1500 * ctx.scale)
    for (let round = 0; round < 3; round++) {
      const killed = await world.terminate('gatekeeper-authz-listen')
      out.check(killed === 1, `round ${round}: expected one LISTEN connection to kill, found ${killed}`)
      const committed = performance.now()
      if (round === 0) await suspendVictim(world)
      if (round === 1) await grantNewbie(world)
      if (round === 2) freshRouteId = await createFreshRoute(world)
      const target = await world.version()
      await until(
        `round ${round}: authz applies version ${target}`,
        async () => ((await authzHealth(authz.port))?.version ?? 0) >= target,
        30_000,
      )
      delays.push(performance.now() - committed)
      await sleep(1000 * ctx.scale)
    }
    out.figure('change committed while LISTEN was dead, in effect after', delays.map(ms).join(', '))
    out.figure(
      'listener errors counted by authz',
      await counter(authz.port, 'gatekeeper_authz_errors_total', 'type="listener"'),
    )
    const health = await authzHealth(authz.port)
    out.check(health?.postgres === 'up', `authz health after: ${JSON.stringify(health)}`)
    await probeChanges(out, authz.port, world, freshRouteId)
  } finally {
    await running.finish(out)
  }
  return out.result()
}
