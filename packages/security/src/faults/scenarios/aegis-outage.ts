import { randomBytes } from 'node:crypto'
import { startFakeAegis } from '@gatekeeper/testkit/aegis'
import { startAuthz, startConsoleApi } from '@gatekeeper/testkit/apps'
import { startRelay } from '@gatekeeper/testkit/relay'
import { rawRequest } from '../../http/raw'
import { sleep } from '../health'
import { Load, warmUp } from '../load'
import { type FaultContext, type FaultResult, ms, Outcome } from '../result'
import { ACTOR, authzEnv, createFaultWorld, steadyProbes } from '../world'

// Aegis (console-api's identity provider) becomes slow (answers never come), then down (connections refused),
// then blackholed at the TCP level. console-api must answer the admin API and the sign-in proxy with 503 within
// its AEGIS_TIMEOUT_MS, never hang, and recover when Aegis does; authz, which never talks to Aegis, must not
// notice at all.

const TIMEOUT_MS = 500

export async function aegisOutage(ctx: FaultContext): Promise<FaultResult> {
  const out = new Outcome('Aegis slow or down')
  const world = await createFaultWorld(ctx.pg, 'gk_fault_aegis')
  const aegis = await startFakeAegis()
  const wire = await startRelay({ port: Number(new URL(aegis.url).port) })
  const { user, token } = aegis.addUser()
  await world.ops.admins.add(ACTOR, { email: user.email, aegis_user_id: user.uuid })
  const consoleApi = await startConsoleApi({
    env: {
      DATABASE_URL: world.url,
      GATEKEEPER_MASTER_KEY: world.masterKey,
      AEGIS_API_URL: `http://127.0.0.1:${wire.port}`,
      AEGIS_TENANT_API_KEY: aegis.tenantApiKey,
      AEGIS_SITE_ID: aegis.siteId,
      AEGIS_TIMEOUT_MS: String(TIMEOUT_MS),
      // This scenario measures answers during an outage with repeated logins of one user: the sign-in
      // throttle (tested in console-api's suite) would turn them into 429s.
      AUTH_THROTTLE_IP_PER_MINUTE: '0',
      AUTH_THROTTLE_EMAIL_PER_MINUTE: '0',
      AEGIS_AUTH_CACHE_TTL_SECONDS: '0',
      LOG_LEVEL: 'warn',
      REDIS_URL: ctx.redis.url,
      SHUTDOWN_GRACE_MS: '1000',
    },
  })
  const authz = await startAuthz({ env: authzEnv(world, ctx.redis.url) })
  const options = { port: authz.port, probes: steadyProbes(world), concurrency: 8, direct: true }
  await warmUp(options)
  const before = new Load(options).start()
  await sleep(3000 * ctx.scale)
  const baseline = await before.stop()
  out.load('authz before (8 concurrent)', baseline)
  const load = new Load(options).start()

  const admin = () =>
    rawRequest({
      port: consoleApi.port,
      method: 'GET',
      target: '/api/admin/routes',
      headers: [
        ['Host', 'localhost'],
        ['Authorization', `Bearer ${token}`],
      ],
      timeoutMs: 10_000,
    })
  const login = () =>
    rawRequest({
      port: consoleApi.port,
      method: 'POST',
      target: '/api/auth/login',
      headers: [
        ['Host', 'localhost'],
        ['Content-Type', 'application/json'],
      ],
      body: JSON.stringify({ email: user.email, password: randomBytes(6).toString('hex') }),
      timeoutMs: 10_000,
    })
  const measure = async (label: string, expected: number, calls = 5) => {
    let worst = 0
    const statuses = new Set<number>()
    for (let i = 0; i < calls; i++) {
      for (const call of [admin, login]) {
        const reply = await call()
        statuses.add(reply.status)
        worst = Math.max(worst, reply.ms)
        if (call === admin)
          out.check(reply.status === expected, `${label}: admin API answered ${reply.status}, expected ${expected}`)
        else if (expected === 503) out.check(reply.status === 503, `${label}: sign-in proxy answered ${reply.status}`)
      }
    }
    out.figure(`${label}: console-api answered`, `${[...statuses].sort().join('/')} in at most ${ms(worst)}`)
    if (expected === 503)
      out.check(worst < TIMEOUT_MS + 1000, `${label}: slowest answer ${ms(worst)} (timeout ${TIMEOUT_MS} ms)`)
  }
  try {
    await measure('Aegis up', 200)
    aegis.setMode('hang')
    await measure('Aegis slow (never answers)', 503)
    aegis.setMode('up')
    wire.mode = 'refuse'
    await measure('Aegis down (connection refused)', 503)
    wire.mode = 'blackhole'
    await measure('Aegis blackholed (TCP accepted, no answer)', 503, 3)
    wire.mode = 'forward'
    await measure('Aegis back', 200)
    out.figure('AEGIS_TIMEOUT_MS', TIMEOUT_MS)
  } finally {
    const during = await load.stop()
    out.load('authz during the Aegis outages (8 concurrent)', during)
    out.figure('authz p99 before / during', `${ms(baseline.p99)} / ${ms(during.p99)}`)
    await Promise.all([authz.stop(), consoleApi.stop()])
    await wire.close()
    await aegis.stop()
    await world.close()
  }
  return out.result()
}
