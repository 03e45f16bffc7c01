// Many authz replicas against one PostgreSQL primary, started all at once (`pnpm replicas`, docs/performance.md
// "Many replicas"). Run by hand: it takes minutes and most of the machine.
//
// A PostgreSQL server of the script's own (initdb on a free port, never the shared 5432: that one allows 100
// connections and other work uses it), seeded with the large tables (bench/src/bulk.ts), then N authz processes
// (the production bundle on plain node) spawned in the same instant. It reports:
// - the stampede: time from spawn until each replica has loaded its snapshot (its own log line), the primary's CPU
//   over that time (every backend: the postmaster's own, its reaped children's and its live children's
//   /proc/<pid>/stat times), the peak and steady number of client connections (pg_stat_activity);
// - propagation: C changes committed through the admin operations, one every --interval-ms, each timed from the
//   commit's return to the moment each replica applied it (its `config change applied` debug line carries the
//   time), so no /health polling competes with the replicas for the two cores;
// - memory: VmRSS of every replica once all are loaded, and VmHWM (its peak).
//
// Options: --replicas 50 --routes 10000 --clients 100000 --changes 200 --interval-ms 100
//          --authz-env NAME=value (repeatable) --label text --force (skip the memory check)
//          --bundle <main.js> (an authz bundle built before, e.g. of an older commit, inside apps/authz/node_modules)
//          --keep-logs (leave the replicas' logs in the temporary directory)

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { freemem, tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, sleep } from '@gatekeeper/testkit/ports'
import { startPrivatePostgres } from '@gatekeeper/testkit/postgres-servers'
import pg from 'pg'
import { buildAuthzBundle } from './build-authz'
import { cpuMs, type NodeChild, spawnNode } from './child'
import { ACTOR } from './fixtures'
import { healthVersion } from './http'
import { AUTHZ_DIR, RESULTS_DIR } from './paths'
import { percentile } from './stats'
import { createWorld } from './world'

interface Options {
  replicas: number
  routes: number
  clients: number
  changes: number
  intervalMs: number
  env: Record<string, string>
  label: string
  force: boolean
  /** A bundle built earlier (another commit's authz, for before/after); default: build the current sources. */
  bundle: string | undefined
  keepLogs: boolean
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    replicas: 50,
    routes: 10_000,
    clients: 100_000,
    changes: 200,
    intervalMs: 100,
    env: {},
    label: '',
    force: false,
    bundle: undefined,
    keepLogs: false,
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const next = () => {
      const v = argv[++i]
      if (v === undefined) throw new Error(`${arg} needs a value`)
      return v
    }
    const int = () => {
      const n = Number(next())
      if (!Number.isInteger(n) || n < 0) throw new Error(`${arg}: expected a non-negative integer`)
      return n
    }
    if (arg === '--replicas') o.replicas = Math.max(1, int())
    else if (arg === '--routes') o.routes = Math.max(2, int())
    else if (arg === '--clients') o.clients = int()
    else if (arg === '--changes') o.changes = int()
    else if (arg === '--interval-ms') o.intervalMs = int()
    else if (arg === '--label') o.label = next()
    else if (arg === '--force') o.force = true
    else if (arg === '--bundle') o.bundle = next()
    else if (arg === '--keep-logs') o.keepLogs = true
    else if (arg === '--authz-env') {
      const pair = next()
      const eq = pair.indexOf('=')
      if (eq < 1) throw new Error('--authz-env takes NAME=value')
      o.env[pair.slice(0, eq)] = pair.slice(eq + 1)
    } else throw new Error(`unknown option ${arg}`)
  }
  return o
}

/** CPU ms of a process and all its children, live and reaped (for the postmaster: every backend). */
function treeCpuMs(pid: number): number {
  let total = 0
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // utime 14, stime 15, cutime 16, cstime 17 (1-based; fields[] starts at field 3)
    total += ((Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 1000) / 100
  } catch {
    return 0
  }
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim()
    for (const child of children === '' ? [] : children.split(/\s+/)) total += cpuMs(Number(child))
  } catch {
    // no children file
  }
  return total
}

function memKB(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match?.[1] === undefined ? undefined : Number(match[1])
  } catch {
    return undefined
  }
}

interface LogLine {
  time: number
  msg: string
  version?: number
  duration_ms?: number
  trigger?: string
  level?: number
}

function readLog(file: string): LogLine[] {
  const lines: LogLine[] = []
  let text = ''
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return lines
  }
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue
    try {
      lines.push(JSON.parse(line) as LogLine)
    } catch {
      // a partial last line
    }
  }
  return lines
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits
const mb = (kb: number) => round((kb * 1024) / 1e6, 0)

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2))
  // authz at the large size peaks around 450 MB while it loads; refuse to start what would exhaust memory.
  const perReplicaMB = o.clients >= 50_000 ? 500 : 150
  const availableMB = freemem() / 1e6
  if (!o.force && o.replicas * perReplicaMB > availableMB * 0.85) {
    throw new Error(
      `${o.replicas} replicas x ~${perReplicaMB} MB peak would not fit in the ${Math.round(availableMB)} MB free; ` +
        `use fewer --replicas (or --force)`,
    )
  }
  const dir = mkdtempSync(join(tmpdir(), 'gk-replicas-'))
  const cleanups: Array<() => Promise<void> | void> = [
    () => (o.keepLogs ? console.log(`replica logs kept in ${dir}`) : rmSync(dir, { recursive: true, force: true })),
  ]
  const children: NodeChild[] = []
  try {
    console.log(`PostgreSQL of this run's own; seeding ${o.routes} routes and ${o.clients} clients ...`)
    const pgServer = await startPrivatePostgres({
      settings: [`max_connections=${o.replicas * 4 + 30}`, 'shared_buffers=256MB'],
    })
    cleanups.push(() => pgServer.destroy())
    process.env.TEST_DATABASE_URL = pgServer.server.url()
    const seeded = performance.now()
    const world = await createWorld({ routes: o.routes, clients: o.clients })
    cleanups.push(() => world.close())
    console.log(`seeded in ${round((performance.now() - seeded) / 1000)} s; building the authz bundle ...`)
    const bundle = o.bundle ?? (await buildAuthzBundle())

    const monitor = new pg.Client({ connectionString: world.db.url, application_name: 'gatekeeper-replicas-monitor' })
    await monitor.connect()
    cleanups.push(() => monitor.end())
    const connections = async () => {
      const { rows } = await monitor.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend'",
      )
      return (rows[0]?.n ?? 1) - 1 // not counting the monitor itself
    }
    const postmaster = pgServer.server.pid()
    if (postmaster === undefined) throw new Error('no postmaster pid')

    // The stampede: every replica spawned in the same instant.
    const ports = await Promise.all(Array.from({ length: o.replicas }, () => freePort()))
    const cpuBefore = treeCpuMs(postmaster)
    const startedAt = Date.now()
    for (let i = 0; i < o.replicas; i++) {
      children.push(
        spawnNode({
          name: `authz-${i}`,
          script: bundle,
          tsx: false,
          cwd: AUTHZ_DIR,
          logFile: join(dir, `authz-${i}.log`),
          env: {
            ...process.env,
            NODE_ENV: 'production',
            DATABASE_URL: world.db.url,
            REDIS_URL: '',
            GATEKEEPER_MASTER_KEY: world.masterKey,
            AUTHZ_HOST: '127.0.0.1',
            AUTHZ_PORT: String(ports[i]),
            TRUSTED_FORWARDER_IPS: '127.0.0.1',
            LOG_LEVEL: 'debug',
            AUDIT_LOG: 'false',
            SHUTDOWN_GRACE_MS: '1000',
            ...o.env,
          },
        }),
      )
    }
    let peakConnections = 0
    const loadedAt: Array<number | undefined> = new Array(o.replicas).fill(undefined)
    const loadMs: Array<number | undefined> = new Array(o.replicas).fill(undefined)
    const deadline = startedAt + 15 * 60_000
    while (loadedAt.some((t) => t === undefined)) {
      if (Date.now() > deadline) throw new Error('not every replica loaded its snapshot within 15 minutes')
      const dead = children.find((c) => !c.running)
      if (dead !== undefined) throw new Error(`${dead.name} exited; see ${dead.logFile}`)
      peakConnections = Math.max(peakConnections, await connections().catch(() => 0))
      for (let i = 0; i < o.replicas; i++) {
        if (loadedAt[i] !== undefined) continue
        const line = readLog(join(dir, `authz-${i}.log`)).find((l) => l.msg === 'config snapshot loaded')
        if (line !== undefined) {
          loadedAt[i] = line.time
          loadMs[i] = line.duration_ms
        }
      }
      await sleep(250)
    }
    const allReadyMs = Math.max(...loadedAt.map((t) => (t ?? 0) - startedAt))
    const pgCpuStampedeMs = treeCpuMs(postmaster) - cpuBefore
    const rss = children.map((c) => memKB(c.pid, 'VmRSS') ?? 0)
    const hwm = children.map((c) => memKB(c.pid, 'VmHWM') ?? 0)
    await sleep(2000)
    const steadyConnections = await connections()
    const { rows: byApp } = await monitor.query<{ app: string; n: number }>(
      "SELECT application_name AS app, count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' GROUP BY 1 ORDER BY 1",
    )
    const ready = loadedAt.map((t) => (t ?? 0) - startedAt)
    console.log(
      `all ${o.replicas} loaded after ${round(allReadyMs / 1000)} s (first ${round(Math.min(...ready) / 1000)} s, ` +
        `median ${round(percentile(ready, 50) / 1000)} s); primary CPU ${round(pgCpuStampedeMs / 1000)} s; ` +
        `connections peak ${peakConnections}, steady ${steadyConnections}`,
    )

    // Propagation: C changes, each timed from its commit's return to each replica's apply line.
    const cpuBeforeChanges = treeCpuMs(postmaster)
    const commits = new Map<number, number>()
    for (let i = 0; i < o.changes; i++) {
      await world.admin.routes.update(ACTOR, world.fixtures.routes.propagation, { service_name: `replicas-${i}` })
      const at = Date.now()
      commits.set(await world.version(), at)
      await sleep(o.intervalMs + Math.floor(Math.random() * 10))
    }
    const lastVersion = await world.version()
    const caughtUp = Date.now() + 60_000
    for (const [i] of children.entries()) {
      for (;;) {
        const v = await healthVersion(ports[i] ?? 0).catch(() => undefined)
        if (v !== undefined && v >= lastVersion) break
        if (Date.now() > caughtUp) throw new Error(`authz-${i} did not reach version ${lastVersion}`)
        await sleep(200)
      }
    }
    const pgCpuChangesMs = treeCpuMs(postmaster) - cpuBeforeChanges
    await sleep(500) // asynchronous logging
    const samples: number[] = []
    const perReplicaP99: number[] = []
    let missed = 0
    for (const [i] of children.entries()) {
      const applied = new Map<number, number>()
      for (const line of readLog(join(dir, `authz-${i}.log`))) {
        if (line.msg === 'config change applied' && line.version !== undefined) applied.set(line.version, line.time)
      }
      const mine: number[] = []
      for (const [version, at] of commits) {
        const t = applied.get(version)
        if (t === undefined) missed++
        else mine.push(Math.max(0, t - at))
      }
      samples.push(...mine)
      perReplicaP99.push(percentile(mine, 99))
    }
    // Full reloads after the first load, by trigger, and anything authz warned about: each reload holds that
    // replica's notifications back for its duration.
    const reloadTriggers: Record<string, number> = {}
    const warnings: Record<string, number> = {}
    for (const [i] of children.entries()) {
      for (const line of readLog(join(dir, `authz-${i}.log`))) {
        if (line.msg === 'config snapshot loaded' && line.trigger !== 'start') {
          reloadTriggers[line.trigger ?? '?'] = (reloadTriggers[line.trigger ?? '?'] ?? 0) + 1
        }
        if (line.level !== undefined && line.level >= 40) warnings[line.msg] = (warnings[line.msg] ?? 0) + 1
      }
    }

    const result = {
      label: o.label,
      at: new Date().toISOString(),
      replicas: o.replicas,
      bundle: o.bundle ?? 'current sources',
      routes: o.routes,
      clients: o.clients,
      authzEnv: o.env,
      stampede: {
        allReadyMs,
        readyMs: { min: Math.min(...ready), p50: percentile(ready, 50), max: Math.max(...ready) },
        snapshotLoadMs: {
          p50: percentile(
            loadMs.map((v) => v ?? 0),
            50,
          ),
          max: Math.max(...loadMs.map((v) => v ?? 0)),
        },
        primaryCpuMs: Math.round(pgCpuStampedeMs),
        peakConnections,
        steadyConnections,
        connectionsByApplication: byApp,
      },
      propagation: {
        changes: o.changes,
        intervalMs: o.intervalMs,
        missed,
        p50Ms: percentile(samples, 50),
        p99Ms: percentile(samples, 99),
        maxMs: Math.max(...samples),
        worstReplicaP99Ms: Math.max(...perReplicaP99),
        primaryCpuMs: Math.round(pgCpuChangesMs),
        reloadsAfterStart: reloadTriggers,
        warnings,
      },
      memoryMB: {
        rss: {
          min: mb(Math.min(...rss)),
          p50: mb(percentile(rss, 50)),
          max: mb(Math.max(...rss)),
          total: mb(rss.reduce((a, b) => a + b, 0)),
        },
        peak: { p50: mb(percentile(hwm, 50)), max: mb(Math.max(...hwm)) },
      },
    }
    console.log(
      `propagation of ${o.changes} changes to ${o.replicas} replicas: p50 ${result.propagation.p50Ms} ms, ` +
        `p99 ${result.propagation.p99Ms} ms, max ${result.propagation.maxMs} ms, missed ${missed}; ` +
        `primary CPU for the changes ${round(pgCpuChangesMs / 1000, 2)} s`,
    )
    console.log(
      `memory per replica: RSS median ${result.memoryMB.rss.p50} MB (max ${result.memoryMB.rss.max}), ` +
        `peak median ${result.memoryMB.peak.p50} MB (max ${result.memoryMB.peak.max}); all replicas ${result.memoryMB.rss.total} MB`,
    )
    const file = join(RESULTS_DIR, `replicas-${result.at.replace(/[:.]/g, '-').slice(0, 19)}Z.json`)
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`)
    console.log(`written: ${file}`)
  } finally {
    await Promise.all(children.map((c) => c.stop(3000)))
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup()
      } catch (err) {
        console.error(`cleanup: ${err instanceof Error ? err.message : String(err)}`)
      }
    }
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err))
  process.exit(1)
})
