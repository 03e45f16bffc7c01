import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { stopAll } from '@gatekeeper/testkit/process'
import { type AuthzProcess, type AuthzSettings, startAuthzProcess } from './authz-process'
import { buildAuthzBundle } from './build-authz'
import type { BulkSize } from './bulk'
import { childPids, rssMB } from './child'
import { measure } from './measure'
import { type Plan, plansFor, type Running } from './plans'
import { measurePropagation, type PropagationResult } from './propagation'
import { deleteRedisPrefix } from './redis-cleanup'
import { redisStats } from './redis-stats'
import type { BenchReport, Row, ScaleInfo } from './report'
import { combineRounds, withRatios } from './report'
import { startBaseline, startProtectedApi } from './servers'
import { checkTargets } from './targets'
import { createWorld, type World } from './world'
import type { WrkLoad } from './wrk'

// One benchmark run, every figure from the same run so the ratios hold on a noisy machine. Everything is started
// first (baseline, authz, nginx in three setups, authz on large tables, authz with a worker per core), then
// `rounds` rounds measure every plan in turn (plans.ts), each ratio against its reference measured in the same
// round (paired, the default: the reference measured again just before the row); rows report the median of the
// rounds. Then the propagation of committed changes to three instances.
// `mode: 'smoke'` runs the same code but sends one request per scenario (checking its status) instead of wrk.

export interface BenchOptions {
  mode: 'bench' | 'smoke'
  load: WrkLoad
  warmupSeconds: number
  /** Rounds over every scenario (median reported); 1 for a quick run. */
  rounds: number
  small: BulkSize
  /** Omitted: no large-tables run. */
  large?: BulkSize
  /** authz workers for the multi-core run (AUTHZ_WORKERS). */
  workers: number
  propagationChanges: number
  /** Only rows whose key starts with one of these (e.g. 'direct.api_key'); the baseline always runs. */
  only?: readonly string[]
  /** authz as production runs it (the tsup bundle on node) or from its TypeScript sources under tsx. */
  authzFrom: 'bundle' | 'source'
  /** Measure each row's reference again right before it (default); false: once per round, in plan order. */
  paired: boolean
  /** CPU profiles of the baseline and the main authz (node --cpu-prof) into the work directory, which is kept. */
  profile?: boolean
  redisUrl: string
  /**
   * authz's REDIS_TIMEOUT_MS. The 5 ms default bounds a production Redis round trip; here Redis shares two cores
   * with wrk and a saturated authz, is descheduled for longer than that, and the failure modes (fail-open limits,
   * fail-closed nonces) would be measured instead of the round trip. Every run reports Redis errors.
   */
  redisTimeoutMs: number
  /** Extra environment for every authz (e.g. AUDIT_LOG=false, to see what the audit log costs). */
  authzEnv?: Readonly<Record<string, string>>
  command: string
  log: (line: string) => void
}

export async function runBenchmark(options: BenchOptions): Promise<BenchReport & { dir: string }> {
  const { log } = options
  const startedAt = new Date().toISOString()
  const loadBefore = loadavg()
  const dir = mkdtempSync(join(tmpdir(), 'gk-bench-'))
  const prefix = `gk-bench-${randomBytes(4).toString('hex')}:`
  const want = (key: string) =>
    key === 'baseline' || options.only === undefined || options.only.some((p) => key.startsWith(p))
  const wantAny = (group: string) =>
    options.only === undefined || options.only.some((p) => p.startsWith(group) || group.startsWith(p))
  const cleanups: Array<() => Promise<unknown>> = []
  const scale: BenchReport['scale'] = {}
  const rounds: Row[][] = []
  let propagation: PropagationResult | undefined
  let expectedRps = 1000
  const stats = redisStats(options.redisUrl)
  cleanups.push(async () => stats.close())

  let bundle: string | undefined
  const authzSettings = (name: string, world: World, extra: Partial<AuthzSettings> = {}): AuthzSettings => ({
    name,
    ...(bundle === undefined ? {} : { bundle }),
    databaseUrl: world.db.url,
    redisUrl: options.redisUrl,
    redisKeyPrefix: prefix,
    masterKey: world.masterKey,
    dir,
    ...extra,
    env: { REDIS_TIMEOUT_MS: String(options.redisTimeoutMs), ...options.authzEnv, ...extra.env },
  })
  const started = async (p: Promise<AuthzProcess>): Promise<AuthzProcess> => {
    const authz = await p
    cleanups.push(() => authz.stop())
    return authz
  }
  const startedServer = async <T extends { stop(): Promise<void> }>(p: Promise<T>): Promise<T> => {
    const server = await p
    cleanups.push(() => server.stop())
    return server
  }

  async function run(plan: Plan): Promise<Row> {
    const row: Row = { key: plan.key, group: plan.group, label: plan.label, vs: plan.vs }
    if (typeof plan.target === 'string') return { ...row, skipped: plan.target }
    const t = plan.target
    log(`${options.mode === 'smoke' ? 'checking' : 'measuring'} ${plan.label}`)
    try {
      const m = await measure(t.port, t.request, plan.label, {
        mode: options.mode,
        load: options.load,
        warmupSeconds: options.warmupSeconds,
        workDir: dir,
        expectedRps,
        ...(t.authz === undefined ? {} : { authzPort: t.authz.port }),
        serverPids: () => [t.pid, ...childPids(t.pid), ...(t.otherPids ?? [])],
        redisScriptMicros: stats.scriptMicros,
        ...(t.flood === undefined ? {} : { flood: t.flood }),
      })
      if (m === undefined) return row
      expectedRps = Math.max(expectedRps, m.rps)
      log(
        `  ${m.rps.toFixed(0)} req/s, p50 ${m.p50Ms.toFixed(2)} ms, p99 ${m.p99Ms.toFixed(2)} ms${
          m.flood === undefined ? '' : `; flood ${m.flood.rps.toFixed(0)} req/s`
        }`,
      )
      return { ...row, measurement: m }
    } catch (err) {
      if (!plan.skippable) throw err
      const reason = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)
      log(`  skipped: ${reason}`)
      return { ...row, skipped: reason }
    } finally {
      if (!options.profile) t.authz?.truncateLog()
    }
  }

  try {
    if (options.authzFrom === 'bundle') {
      log('building the authz bundle (tsup)')
      bundle = await buildAuthzBundle()
    }
    log(`databases: ${options.small.routes} routes / ${options.small.clients} clients`)
    const small = await createWorld(options.small)
    cleanups.push(() => small.close())
    let large: World | undefined
    if (options.large !== undefined && wantAny('scale')) {
      log(`databases: ${options.large.routes} routes / ${options.large.clients} clients (seeding)`)
      large = await createWorld(options.large)
      cleanups.push(() => large?.close() ?? Promise.resolve())
    }

    const profileArgs = options.profile ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []
    const baseline = await startedServer(startBaseline('baseline', dir, profileArgs))
    const main = await started(startAuthzProcess(authzSettings('authz', small, { nodeArgs: profileArgs })))
    const running: Running = { fixtures: small.fixtures, baseline, main }
    scale.small = scaleInfo(main)
    if (wantAny('nginx') || wantAny('multicore.nginx')) {
      const upstream = await startedServer(startBaseline('upstream', dir))
      const authServer = await startedServer(startBaseline('auth-baseline', dir))
      running.nginx = {
        upstream,
        authServer,
        noAuth: await startedServer(startProtectedApi('nginx-no-auth', upstream.port, undefined)),
        authBaseline: await startedServer(startProtectedApi('nginx-auth-baseline', upstream.port, authServer.port)),
        authAuthz: await startedServer(startProtectedApi('nginx-auth-authz', upstream.port, main.port)),
      }
    }
    if (large !== undefined) {
      const authz = await started(startAuthzProcess(authzSettings('authz-large', large, { readyTimeoutMs: 180_000 })))
      running.large = { authz, fixtures: large.fixtures }
      scale.large = scaleInfo(authz)
    }
    if (wantAny('multicore')) {
      const authz = await started(
        startAuthzProcess(authzSettings('authz-cluster', small, { workers: options.workers })),
      )
      running.cluster = { authz, workers: options.workers, forked: childPids(authz.child.pid).length }
      if (running.nginx !== undefined) {
        // As many single-process replicas as workers: the main authz and workers - 1 more on the same database.
        const others: AuthzProcess[] = []
        for (let i = 2; i <= options.workers; i++) {
          others.push(await started(startAuthzProcess(authzSettings(`authz-replica${i}`, small))))
        }
        const upstream = running.nginx.upstream.port
        running.nginxMulticore = {
          workers: await startedServer(startProtectedApi('nginx-auth-workers', upstream, authz.port)),
          replicas: await startedServer(
            startProtectedApi('nginx-auth-replicas', upstream, [main.port, ...others.map((o) => o.port)]),
          ),
          replicaPids: others.map((o) => o.child.pid),
          count: options.workers,
        }
      }
    }

    if (wantAny('tracking')) {
      running.untracked = await started(
        startAuthzProcess(authzSettings('authz-untracked', small, { env: { AUTHZ_USAGE_TRACKING: 'false' } })),
      )
    }

    const every = plansFor(running)
    const plans = every.filter((p) => want(p.key))
    for (let round = 1; round <= options.rounds; round++) {
      if (options.rounds > 1) log(`--- round ${round} of ${options.rounds}`)
      const rows: Row[] = []
      for (const plan of plans) {
        // Paired: the reference again, right before the row compared with it (see Row.reference).
        const reference = options.paired && plan.vs !== plan.key ? every.find((p) => p.key === plan.vs) : undefined
        const before = reference === undefined ? undefined : (await run(reference)).measurement
        const row = await run(plan)
        rows.push(before === undefined || row.measurement === undefined ? row : { ...row, reference: before })
      }
      rounds.push(withRatios(rows))
    }
    if (scale.small !== undefined) scale.small.rssAfterRunMB = rssMB(main.child.pid)
    if (scale.large !== undefined && running.large !== undefined) {
      scale.large.rssAfterRunMB = rssMB(running.large.authz.child.pid)
      await running.large.authz.stop()
    }
    await running.cluster?.authz.stop()

    if (wantAny('propagation') && options.propagationChanges > 0) {
      log(`propagation: ${options.propagationChanges} changes to 3 authz instances`)
      const instances = await Promise.all(
        ['authz-p1', 'authz-p2', 'authz-p3'].map((name) => started(startAuthzProcess(authzSettings(name, small)))),
      )
      propagation = await measurePropagation(small, instances, options.propagationChanges)
      await Promise.all(instances.map((i) => i.stop()))
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err: unknown) => log(`cleanup: ${String(err)}`))
    await stopAll()
    await deleteRedisPrefix(options.redisUrl, prefix).catch(() => 0)
    if (!options.profile) rmSync(dir, { recursive: true, force: true })
  }

  const rows = combineRounds(rounds)
  return {
    dir,
    mode: options.mode,
    startedAt,
    finishedAt: new Date().toISOString(),
    command: options.command,
    machine: {
      nproc: availableParallelism(),
      cpu: cpuModel(),
      node: process.version,
      loadBefore,
      loadAfter: loadavg(),
    },
    load: { ...options.load, warmupSeconds: options.warmupSeconds, rounds: options.rounds },
    rows,
    scale,
    ...(propagation === undefined ? {} : { propagation }),
    targets: options.mode === 'bench' ? checkTargets(rows, scale, propagation) : [],
  }
}

function scaleInfo(authz: AuthzProcess): ScaleInfo {
  return {
    routes: authz.load.routes,
    clients: authz.load.clients,
    credentials: authz.load.credentials,
    permissions: authz.load.permissions,
    snapshotLoadMs: authz.load.durationMs,
    rssLoadedMB: rssMB(authz.child.pid),
    rssAfterRunMB: undefined,
  }
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))
    return match?.[1]?.trim() ?? 'unknown'
  } catch {
    return 'unknown'
  }
}
