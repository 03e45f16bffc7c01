import { rmSync } from 'node:fs'
import { startAuthz } from '@gatekeeper/testkit/apps'
import { startNginx } from '@gatekeeper/testkit/nginx'
import { readShippedConfig } from '@gatekeeper/testkit/template'
import { startEchoUpstream } from '../../stack/e2e'
import { sleep } from '../health'
import { Load, warmUp } from '../load'
import { type FaultContext, type FaultResult, Outcome } from '../result'
import { authzEnv, createFaultWorld, hmacHeaders, steadyProbes } from '../world'

// Two authz replicas behind nginx (the shipped protected-api.conf with a second `server` line in its upstream,
// which is what the config's comment says to do per replica). A rolling crash: one is SIGKILLed under load and
// restarted, 3 s after it is ready the other one is. nginx's `proxy_next_upstream error timeout` must retry the
// auth subrequest on the survivor, and must take the restarted replica back before the other one goes, so a
// client sees no error and no wrong decision.

const RATE = 800

export async function authzKill(ctx: FaultContext): Promise<FaultResult> {
  const out = new Outcome('authz replica killed behind nginx (two replicas)')
  const world = await createFaultWorld(ctx.pg, 'gk_fault_authz_kill')
  const upstream = await startEchoUpstream()
  const env = authzEnv(world, ctx.redis.url)
  const replicas = [await startAuthz({ env }), await startAuthz({ env })]
  const [first, second] = replicas
  if (first === undefined || second === undefined) throw new Error('replicas did not start')
  // The shipped line, parameters and all, once more for the second replica.
  const shipped = readShippedConfig('protected-api.conf')
  const line = /^( *)server \$\{AUTHZ_UPSTREAM\}([^;]*);$/m.exec(shipped)
  if (line === null)
    throw new Error('protected-api.conf no longer has a server line for the AUTHZ_UPSTREAM placeholder')
  const template = shipped.replace(line[0], `${line[0]}\n${line[1]}server \${AUTHZ_UPSTREAM_2}${line[2]};`)
  out.figure('upstream server line', line[0].trim())
  const nginx = await startNginx({
    name: 'two-replicas',
    template,
    values: {
      AUTHZ_UPSTREAM: `127.0.0.1:${first.port}`,
      AUTHZ_UPSTREAM_2: `127.0.0.1:${second.port}`,
      UPSTREAM: `127.0.0.1:${upstream.port}`,
    },
  })
  // A signed request in flight on the replica that dies may already have stored its nonce: nginx retries the
  // subrequest on the survivor, which then sees the nonce as replayed (401). A refusal, never an allow; the
  // client signs again. Accepted only around each kill, and counted.
  let killing = false
  const probes = [
    ...steadyProbes(world),
    {
      name: 'HMAC',
      target: '/hmac/x',
      headers: hmacHeaders(world.alice, '/hmac/x'),
      expect: () => (killing ? [200, 401] : [200]),
    },
  ]
  // Paced below what one replica can take on this machine: the survivor must carry everything alone. (Closed-loop
  // saturation instead makes the survivor's event loop late for its Redis deadline, and HMAC requests then fail
  // closed with 503 store_unavailable: capacity planning, not failover.)
  const options = { port: nginx.port, probes, concurrency: 32, direct: false }
  await warmUp(options)
  const load = new Load({ ...options, ratePerSecond: RATE }).start()
  try {
    await sleep(2000 * ctx.scale)
    for (const [victim, label] of [
      [first, 'first'],
      [second, 'second'],
    ] as const) {
      ctx.log(`authz: SIGKILL the ${label} replica`)
      const sentBefore = load.report().sent
      killing = true
      await victim.kill()
      await sleep(1000)
      killing = false
      await sleep(3000 * ctx.scale)
      out.figure(`requests while the ${label} replica was dead`, load.report().sent - sentBefore)
      await victim.restart()
      ctx.log(`authz: ${label} replica restarted`)
      // A rolling restart moves on once the restarted replica is ready, plus a short pause.
      await sleep(3000)
    }
  } finally {
    const report = await load.stop()
    out.load(`clients through nginx (${RATE}/s paced)`, report)
    out.figure(
      'signed requests in flight at a kill refused as replayed (retried on the survivor)',
      report.probes.HMAC?.byStatus['401'] ?? 0,
    )
    await nginx.stop()
    rmSync(nginx.dir, { recursive: true, force: true })
    await Promise.all(replicas.map((r) => r.stop()))
    await upstream.close()
    await world.close()
  }
  return out.result()
}
