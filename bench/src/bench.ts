import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { stopAll } from '@gatekeeper/e2e/process'
import { type AuthzProcess, type AuthzSettings, startAuthzProcess } from './authz-process'
import { buildAuthzBundle } from './build-authz'
import type { BulkSize } from './bulk'
import { childPids, rssMB } from './child'
import { type Measurement, measure } from './measure'
import { measurePropagation, type PropagationResult } from './propagation'
import { deleteRedisPrefix } from './redis-cleanup'
import { redisStats } from './redis-stats'
import type { BenchReport, Group, Row, ScaleInfo } from './report'
import { withRatios } from './report'
import { type BenchRequest, baselineRequest, type DirectKind, directRequest, nginxRequest } from './requests'
import { startBaseline, startProtectedApi } from './servers'
import { checkTargets } from './targets'
import { createWorld, type World } from './world'
import type { WrkLoad } from './wrk'

// One benchmark run, every figure from the same run so the ratios hold on a noisy machine. Phases: direct
// /authz scenarios next to the baseline; nginx without auth, with auth_request to the minimal server and to
// authz; small vs large tables (snapshot load time, RSS); authz with a worker per core; propagation of
// committed changes to three instances. `mode: 'smoke'` runs the same code but sends one request per
// scenario (checking its status) instead of wrk, and a handful of propagation changes.

export interface BenchOptions {
  mode: 'bench' | 'smoke'
  load: WrkLoad
  warmupSeconds: number
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
  /** CPU profiles of the baseline and the main authz (node --cpu-prof) into the work directory, which is kept. */
  profile?: boolean
  redisUrl: string
  /**
   * authz's REDIS_TIMEOUT_MS. The 5 ms default bounds a production Redis round trip; on this 2-core box with wrk
   * saturating authz, replies wait longer than that in authz's own event loop, and the failure modes (fail-open
   * limits, fail-closed nonces) would be measured instead of the round trip. Every run reports Redis errors.
   */
  redisTimeoutMs: number
  command: string
  log: (line: string) => void
}

const DIRECT: ReadonlyArray<{ kind: DirectKind; key: string; label: string; skippable?: boolean }> = [
  { kind: 'public', key: 'direct.public', label: 'authz: public route' },
  { kind: 'api_key', key: 'direct.api_key', label: 'authz: API key' },
  { kind: 'hmac_v1', key: 'direct.hmac_v1', label: 'authz: HMAC v1 (Redis nonce)' },
  { kind: 'hmac_v2', key: 'direct.hmac_v2', label: 'authz: HMAC v2 (Redis nonce)', skippable: true },
  { kind: 'denied', key: 'direct.denied', label: 'authz: denied, unknown key (401)' },
  { kind: 'rate_limited_allowed', key: 'direct.rate_limited', label: 'authz: rate-limited key, allowed (Redis)' },
  { kind: 'rate_limited_refused', key: 'direct.rate_limited_refused', label: 'authz: rate-limited key, refused (429)' },
  { kind: 'unmatched', key: 'direct.unmatched', label: 'authz: unmatched (403)' },
]

export async function runBenchmark(options: BenchOptions): Promise<BenchReport & { dir: string }> {
  const { log } = options
  const startedAt = new Date().toISOString()
  const loadBefore = loadavg()
  const dir = mkdtempSync(join(tmpdir(), 'gk-bench-'))
  const prefix = `gk-bench-${randomBytes(4).toString('hex')}:`
  const want = (key: string) => options.only === undefined || options.only.some((p) => key.startsWith(p))
  const wantAny = (prefixKey: string) =>
    options.only === undefined || options.only.some((p) => p.startsWith(prefixKey) || prefixKey.startsWith(p))
  const cleanups: Array<() => Promise<unknown>> = []
  const rows: Row[] = []
  const scale: BenchReport['scale'] = {}
  let propagation: PropagationResult | undefined
  let expectedRps = 1000
  const stats = redisStats(options.redisUrl)
  cleanups.push(async () => stats.close())

  const record = async (
    key: string,
    group: Group,
    label: string,
    vs: string,
    port: number,
    request: BenchRequest,
    server: { pid: number; authz?: AuthzProcess },
  ): Promise<Measurement | undefined> => {
    const authz = server.authz
    log(`${options.mode === 'smoke' ? 'checking' : 'measuring'} ${label}`)
    try {
      const m = await measure(port, request, label, {
        mode: options.mode,
        load: options.load,
        warmupSeconds: options.warmupSeconds,
        workDir: dir,
        expectedRps,
        ...(authz === undefined ? {} : { authzPort: authz.port }),
        serverPids: () => [server.pid, ...childPids(server.pid)],
        redisScriptMicros: stats.scriptMicros,
      })
      rows.push({ key, group, label, vs, ...(m === undefined ? {} : { measurement: m }) })
      if (m !== undefined) {
        expectedRps = Math.max(expectedRps, m.rps)
        log(`  ${m.rps.toFixed(0)} req/s, p50 ${m.p50Ms.toFixed(2)} ms, p99 ${m.p99Ms.toFixed(2)} ms`)
      }
      return m
    } finally {
      if (!options.profile) authz?.truncateLog()
    }
  }

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
    env: { REDIS_TIMEOUT_MS: String(options.redisTimeoutMs), ...extra.env },
  })
  const served = (authz: AuthzProcess) => ({ pid: authz.child.pid, authz })
  const started = async (p: Promise<AuthzProcess>): Promise<AuthzProcess> => {
    const authz = await p
    cleanups.push(() => authz.stop())
    return authz
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
    const baseline = await startBaseline('baseline', dir, profileArgs)
    cleanups.push(() => baseline.stop())
    const main = await started(startAuthzProcess(authzSettings('authz', small, { nodeArgs: profileArgs })))
    const f = small.fixtures
    const smallLoaded = scaleInfo(main, undefined)

    // --- direct ----------------------------------------------------------------------------------------------
    await record('baseline', 'direct', 'baseline: minimal Hono server', 'baseline', baseline.port, baselineRequest(f), {
      pid: baseline.child.pid,
    })
    for (const s of DIRECT) {
      if (!want(s.key)) continue
      try {
        await record(s.key, 'direct', s.label, 'baseline', main.port, directRequest(s.kind, f), served(main))
      } catch (err) {
        if (!s.skippable) throw err
        const reason = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)
        rows.push({ key: s.key, group: 'direct', label: s.label, vs: 'baseline', skipped: reason })
        log(`  skipped: ${reason}`)
      }
    }

    // --- through nginx ---------------------------------------------------------------------------------------
    if (wantAny('nginx')) {
      const upstream = await startBaseline('upstream', dir)
      cleanups.push(() => upstream.stop())
      const authServer = await startBaseline('auth-baseline', dir)
      cleanups.push(() => authServer.stop())
      const plans = [
        // CPU per request: of the upstream when there is no auth server, else of the auth server.
        {
          key: 'nginx.no_auth',
          label: 'nginx: proxy, no auth',
          vs: 'nginx.no_auth',
          auth: undefined,
          server: { pid: upstream.child.pid },
        },
        {
          key: 'nginx.auth_baseline',
          label: 'nginx: auth_request -> minimal server',
          vs: 'nginx.no_auth',
          auth: authServer.port,
          server: { pid: authServer.child.pid },
        },
        {
          key: 'nginx.auth_authz',
          label: 'nginx: auth_request -> authz',
          vs: 'nginx.auth_baseline',
          auth: main.port,
          server: served(main),
        },
      ]
      for (const plan of plans) {
        if (!want(plan.key)) continue
        const api = await startProtectedApi(plan.key.replace('.', '-'), upstream.port, plan.auth)
        try {
          await record(plan.key, 'nginx', plan.label, plan.vs, api.nginx.port, nginxRequest(f), plan.server)
        } finally {
          await api.stop()
        }
      }
    }

    // --- scale -----------------------------------------------------------------------------------------------
    if (large !== undefined) {
      scale.small = smallLoaded
      const big = await started(startAuthzProcess(authzSettings('authz-large', large, { readyTimeoutMs: 180_000 })))
      const loaded = scaleInfo(big, undefined)
      await record(
        'scale.small',
        'scale',
        'scale: API key, small tables',
        'scale.small',
        main.port,
        directRequest('api_key', f),
        served(main),
      )
      await record(
        'scale.large',
        'scale',
        'scale: API key, large tables',
        'scale.small',
        big.port,
        directRequest('api_key', large.fixtures),
        served(big),
      )
      scale.large = { ...loaded, rssAfterRunMB: rssMB(big.child.pid) }
      scale.small.rssAfterRunMB = rssMB(main.child.pid)
      await big.stop()
    }

    // --- multi-core ------------------------------------------------------------------------------------------
    if (wantAny('multicore')) {
      const workers = await started(
        startAuthzProcess(authzSettings('authz-cluster', small, { workers: options.workers })),
      )
      const forked = childPids(workers.child.pid).length
      const clustered = forked === options.workers
      for (const [kind, key, label] of [
        ['api_key', 'multicore.api_key', `authz x${options.workers} workers: API key`],
        ['hmac_v1', 'multicore.hmac_v1', `authz x${options.workers} workers: HMAC v1`],
      ] as const) {
        if (!want(key)) continue
        if (!clustered) {
          const skipped = `AUTHZ_WORKERS=${options.workers} gave ${forked} worker processes (no cluster mode?)`
          rows.push({ key, group: 'multicore', label, vs: `direct.${kind}`, skipped })
          continue
        }
        await record(key, 'multicore', label, `direct.${kind}`, workers.port, directRequest(kind, f), served(workers))
      }
      await workers.stop()
    }

    // --- propagation -----------------------------------------------------------------------------------------
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

  const measured = withRatios(rows)
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
    load: { ...options.load, warmupSeconds: options.warmupSeconds },
    rows: measured,
    scale,
    ...(propagation === undefined ? {} : { propagation }),
    targets: options.mode === 'bench' ? checkTargets(measured, scale, propagation) : [],
  }
}

function scaleInfo(authz: AuthzProcess, rssAfterRunMB: number | undefined): ScaleInfo {
  return {
    routes: authz.load.routes,
    clients: authz.load.clients,
    credentials: authz.load.credentials,
    permissions: authz.load.permissions,
    snapshotLoadMs: authz.load.durationMs,
    rssLoadedMB: rssMB(authz.child.pid),
    rssAfterRunMB,
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
