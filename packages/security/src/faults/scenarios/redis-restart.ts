import { startAuthz } from '@gatekeeper/testkit/apps'
import { rawRequest } from '../../http/raw'
import { authzHealth, counter, sleep, until } from '../health'
import { Load, type LoadOptions, type Probe, warmUp } from '../load'
import { type FaultContext, type FaultResult, ms, Outcome } from '../result'
import { authzEnv, createFaultWorld, type FaultWorld, hmacHeaders, steadyProbes } from '../world'

// Redis dies (SIGKILL) under load and comes back. Two replicas share it, one with the defaults (rate limits fail
// open, nonces fail closed) and one with the opposite settings. While Redis is away each must answer exactly as
// its failure mode says — a limited client allowed (open) or 503 (closed), an HMAC request 503 (closed) or
// allowed (open) — everything that needs no Redis must be unaffected, and both must recover by themselves.

type Phase = 'up' | 'transition' | 'down'

function probes(
  world: FaultWorld,
  phase: () => Phase,
  mode: { limits: 'open' | 'closed'; nonces: 'open' | 'closed' },
): Probe[] {
  const during = (failureMode: 'open' | 'closed') => (failureMode === 'open' ? [200] : [503])
  const expectFor = (failureMode: 'open' | 'closed') => () => {
    const p = phase()
    if (p === 'up') return [200]
    if (p === 'down') return during(failureMode)
    return [200, 503]
  }
  return [
    ...steadyProbes(world),
    {
      name: 'rate-limited client',
      target: '/limited/x',
      headers: () => ({ authorization: `Bearer ${world.limited.key}` }),
      expect: expectFor(mode.limits),
      weight: 2,
    },
    {
      name: 'HMAC (nonce)',
      target: '/hmac/x',
      headers: hmacHeaders(world.alice, '/hmac/x'),
      expect: expectFor(mode.nonces),
      weight: 2,
    },
  ]
}

export async function redisRestart(ctx: FaultContext): Promise<FaultResult> {
  const out = new Outcome('Redis killed and restarted under load')
  const world = await createFaultWorld(ctx.pg, 'gk_fault_redis')
  let phase: Phase = 'up'
  const defaults = await startAuthz({ env: authzEnv(world, ctx.redis.url) })
  const inverted = await startAuthz({
    env: authzEnv(world, ctx.redis.url, { RATE_LIMIT_FAILURE_MODE: 'closed', NONCE_FAILURE_MODE: 'open' }),
  })
  const options: LoadOptions[] = [
    {
      port: defaults.port,
      probes: probes(world, () => phase, { limits: 'open', nonces: 'closed' }),
      concurrency: 8,
      direct: true,
    },
    {
      port: inverted.port,
      probes: probes(world, () => phase, { limits: 'closed', nonces: 'open' }),
      concurrency: 8,
      direct: true,
    },
  ]
  await Promise.all(options.map((o) => warmUp(o)))
  const loads = options.map((o) => new Load(o).start())
  try {
    await sleep(2000 * ctx.scale)
    ctx.log('redis: SIGKILL')
    phase = 'transition'
    ctx.log(`redis: killed at t=${loads[0]?.report().seconds.toFixed(1)} s`)
    await ctx.redis.kill()
    const noticed = await until(
      'both replicas report redis down',
      async () =>
        (await authzHealth(defaults.port))?.redis === 'down' && (await authzHealth(inverted.port))?.redis === 'down',
      20_000,
    )
    out.figure('outage reported on /health after', ms(noticed))
    phase = 'down'
    await sleep(5000 * ctx.scale)
    phase = 'transition'
    ctx.log('redis: started again')
    const restarted = performance.now()
    await ctx.redis.start()
    await until(
      'both replicas report redis up',
      async () =>
        (await authzHealth(defaults.port))?.redis === 'up' && (await authzHealth(inverted.port))?.redis === 'up',
      30_000,
    )
    out.figure('both replicas report redis up after the restart in', ms(performance.now() - restarted))
    // Recovered for the clients: a signed request is admitted again by the replica whose nonces fail closed.
    const hmacBack = () =>
      rawRequest({
        port: defaults.port,
        method: 'GET',
        target: '/authz',
        headers: [
          ['Host', 'api.example.com'],
          ['X-Original-URI', '/hmac/x'],
          ['X-Original-Method', 'GET'],
          ['Authorization', hmacHeaders(world.alice, '/hmac/x')().authorization ?? ''],
        ],
      })
    await until('a signed request is admitted again', async () => (await hmacBack()).status === 200, 30_000)
    out.figure('signed requests admitted again after the restart in', ms(performance.now() - restarted))
    ctx.log(`redis: recovered at t=${loads[0]?.report().seconds.toFixed(1)} s`)
    await sleep(1000)
    phase = 'up'
    await sleep(2000 * ctx.scale)
    out.figure(
      'fail-open decisions counted (defaults, rate limits)',
      await counter(defaults.port, 'gatekeeper_authz_fail_open_total'),
    )
    out.figure(
      'redis errors counted (defaults / inverted)',
      `${await counter(defaults.port, 'gatekeeper_authz_redis_errors_total')} / ${await counter(inverted.port, 'gatekeeper_authz_redis_errors_total')}`,
    )
    out.figure(
      '503 store_unavailable (defaults: HMAC / inverted: limited)',
      `${await counter(defaults.port, 'gatekeeper_authz_decisions_total', 'reason="store_unavailable"')} / ${await counter(inverted.port, 'gatekeeper_authz_decisions_total', 'reason="store_unavailable"')}`,
    )
  } finally {
    const [a, b] = await Promise.all(loads.map((l) => l.stop()))
    if (a !== undefined) out.load('defaults replica (limits open, nonces closed)', a)
    if (b !== undefined) out.load('inverted replica (limits closed, nonces open)', b)
    await Promise.all([defaults.stop(), inverted.stop()])
    await world.close()
  }
  return out.result()
}
