import { rmSync } from 'node:fs'
import { startAuthz } from '@gatekeeper/testkit/apps'
import { startNginx } from '@gatekeeper/testkit/nginx'
import { startPrivatePostgres } from '@gatekeeper/testkit/postgres'
import { stopAll } from '@gatekeeper/testkit/process'
import { PrivateRedis } from '@gatekeeper/testkit/redis'
import { readShippedConfig } from '@gatekeeper/testkit/template'
import { metricLines, rssBytes, sleep } from '../faults/health'
import { Load, type LoadReport, warmUp } from '../faults/load'
import { authzEnv, createFaultWorld } from '../faults/world'
import { startEchoUpstream } from '../stack/e2e'
import { createChurn } from './churn'
import { soakProbes } from './mix'

// The soak: authz behind nginx (the shipped protected-api.conf) on a private PostgreSQL and Redis. First its
// capacity is measured (closed loop), then it runs for `seconds` at `fraction` of it with the full mix and a
// live configuration change every few seconds, sampling authz's resident memory and the number of metric
// series every 10 s.

export interface SoakOptions {
  seconds: number
  /** Of the measured capacity. */
  fraction: number
  changeEveryMs: number
  log(message: string): void
}

export interface Sample {
  at: number
  rssMiB: number
  series: number
  sent: number
  wrong: number
  errors: number
}

export interface SoakResult {
  capacityPerSecond: number
  targetPerSecond: number
  warmupSeconds: number
  load: LoadReport
  samples: Sample[]
  changes: number
  changeKinds: Record<string, number>
  rss: { baselineMiB: number; endMiB: number; maxMiB: number; growthPercent: number }
  series: {
    atWarmup: number
    atEnd: number
    fromRoutesCreated: number
    routesCreated: number
    /** Series (minus values) that first appeared after warm-up, not from created routes. */
    newAfterWarmup: string[]
    /** The same, in the second half of the soak: growth that continues is unbounded. */
    newInSecondHalf: string[]
    /** Label values outside their closed sets (a route id that was never configured, a method not in the list). */
    strayLabels: string[]
  }
  passed: boolean
  failures: string[]
}

/** A sample line without its value: the series' identity. */
const seriesKey = (line: string) => line.slice(0, line.lastIndexOf(' '))

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'OTHER'])

function strayLabelValues(lines: readonly string[], routes: ReadonlySet<string>): string[] {
  const stray = new Set<string>()
  for (const line of lines) {
    const route = /route="([^"]*)"/.exec(line)?.[1]
    if (route !== undefined && !routes.has(route)) stray.add(`route=${route}`)
    const method = /method="([^"]*)"/.exec(line)?.[1]
    if (method !== undefined && !METHODS.has(method)) stray.add(`method=${method}`)
  }
  return [...stray]
}

const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length)
const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const log = options.log
  const pg = await startPrivatePostgres()
  const redis = await PrivateRedis.start()
  const upstream = await startEchoUpstream()
  try {
    const world = await createFaultWorld(pg, 'gk_soak')
    const churn = await createChurn(world)
    const authz = await startAuthz({ env: authzEnv(world, redis.url, { LOG_LEVEL: 'info', AUDIT_LOG: 'true' }) })
    const nginx = await startNginx({
      name: 'soak',
      template: readShippedConfig('protected-api.conf'),
      values: { AUTHZ_UPSTREAM: `127.0.0.1:${authz.port}`, UPSTREAM: `127.0.0.1:${upstream.port}` },
    })
    // The audit log goes to a pipe this process reads and keeps; drop it here so memory is the services'.
    const dropOutput = setInterval(() => {
      const lines = authz.process.lines as string[]
      if (lines.length > 1000) lines.splice(0, lines.length - 1000)
    }, 1000)
    const probes = [...soakProbes(world), ...churn.probes]
    const base = { port: nginx.port, probes, direct: false }

    log('measuring capacity (closed loop, 32 concurrent, 10 s)')
    await warmUp({ ...base, concurrency: 32 }, 3000)
    const capacityRun = new Load({ ...base, concurrency: 32 }).start()
    await sleep(10_000)
    const capacity = await capacityRun.stop()
    const target = Math.max(50, Math.round(capacity.perSecond * options.fraction))
    log(`capacity ${Math.round(capacity.perSecond)}/s; soaking at ${target}/s for ${options.seconds} s`)

    const load = new Load({ ...base, concurrency: 64, ratePerSecond: target }).start()
    const started = performance.now()
    const elapsed = () => (performance.now() - started) / 1000
    const warmupSeconds = Math.min(60, Math.max(10, Math.round(options.seconds * 0.1)))
    const samples: Sample[] = []
    const changeKinds: Record<string, number> = {}
    let seriesAtWarmup = 0
    const keysAtWarmup = new Set<string>()
    const keysAtHalf = new Set<string>()
    let stopChurn = false
    const churnLoop = (async () => {
      while (!stopChurn) {
        await sleep(options.changeEveryMs)
        if (stopChurn) break
        const what = await churn.step().catch((err: unknown) => `change failed: ${String(err)}`)
        changeKinds[what] = (changeKinds[what] ?? 0) + 1
      }
    })()
    while (elapsed() < options.seconds) {
      await sleep(Math.min(10_000, Math.max(0, (options.seconds - elapsed()) * 1000)))
      const report = load.report()
      const lines = await metricLines(authz.port)
      const series = lines.length
      const sample: Sample = {
        at: Math.round(elapsed()),
        rssMiB: mib(await rssBytes(authz.process.pid)),
        series,
        sent: report.sent,
        wrong: report.wrong,
        errors: report.errors,
      }
      samples.push(sample)
      // Every series seen so far, not just now: some gauges come and go (nodejs_active_resources{type} counts
      // the handle types alive at the moment), and a series that went away and came back is not new.
      if (sample.at <= warmupSeconds || seriesAtWarmup === 0)
        for (const line of lines) keysAtWarmup.add(seriesKey(line))
      if (seriesAtWarmup === 0 && sample.at >= warmupSeconds) seriesAtWarmup = series
      if (sample.at <= options.seconds / 2) for (const line of lines) keysAtHalf.add(seriesKey(line))
      log(
        `  t=${sample.at}s rss ${sample.rssMiB} MiB, ${series} series, ${report.sent} requests, ${report.wrong} wrong, ${report.errors} errors`,
      )
    }
    stopChurn = true
    await churnLoop
    const report = await load.stop()
    clearInterval(dropOutput)

    // Series that exist only because a route was created during the soak (route ids are labels, by design).
    const finalLines = await metricLines(authz.port)
    const created = [...churn.createdRoutes]
    const isCreated = (line: string) => created.some((id) => line.includes(`route="${id}"`))
    const fromRoutes = finalLines.filter(isCreated).length
    const newSince = (before: Set<string>) =>
      finalLines.filter((line) => !isCreated(line) && !before.has(seriesKey(line))).map(seriesKey)
    const newAfterWarmup = newSince(keysAtWarmup)
    const newInSecondHalf = newSince(keysAtHalf)
    const configured = new Set([...Object.values(world.routes), ...churn.routeIds(), ...created, 'unmatched'])
    const strayLabels = strayLabelValues(finalLines, configured)
    const afterWarmup = samples.filter((s) => s.at >= warmupSeconds)
    const baseline = mean(afterWarmup.slice(0, 6).map((s) => s.rssMiB))
    const end = mean(samples.slice(-6).map((s) => s.rssMiB))
    const growthPercent = baseline === 0 ? 0 : ((end - baseline) / baseline) * 100
    const seriesEnd = finalLines.length
    const failures: string[] = []
    for (const [name, probe] of Object.entries(report.probes)) {
      if (probe.wrong > 0) failures.push(`${name}: ${probe.wrong} wrong decisions: ${probe.examples.join('; ')}`)
      if (probe.errors > 0) failures.push(`${name}: ${probe.errors} errors: ${probe.examples.join('; ')}`)
    }
    if (Math.abs(growthPercent) > 10) failures.push(`authz RSS moved ${growthPercent.toFixed(1)}% after warm-up`)
    if (newInSecondHalf.length > 0) {
      failures.push(`metric series still appearing in the second half: ${newInSecondHalf.slice(0, 10).join(', ')}`)
    }
    if (strayLabels.length > 0)
      failures.push(`label values outside their closed sets: ${strayLabels.slice(0, 10).join(', ')}`)
    await nginx.stop()
    rmSync(nginx.dir, { recursive: true, force: true })
    await authz.stop()
    await world.close()
    return {
      capacityPerSecond: Math.round(capacity.perSecond),
      targetPerSecond: target,
      warmupSeconds,
      load: report,
      samples,
      changes: churn.changes,
      changeKinds,
      rss: {
        baselineMiB: mib(baseline * 1024 * 1024),
        endMiB: mib(end * 1024 * 1024),
        maxMiB: Math.max(...afterWarmup.map((s) => s.rssMiB)),
        growthPercent: Math.round(growthPercent * 10) / 10,
      },
      series: {
        atWarmup: seriesAtWarmup,
        atEnd: seriesEnd,
        fromRoutesCreated: fromRoutes,
        routesCreated: churn.createdRoutes.size,
        newAfterWarmup,
        newInSecondHalf,
        strayLabels,
      },
      passed: failures.length === 0,
      failures,
    }
  } finally {
    await upstream.close()
    await redis.stop().catch(() => undefined)
    pg.destroy()
    await stopAll()
  }
}
