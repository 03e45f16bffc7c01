import { closeSync, openSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { authzCounts, type Counts, countsDelta } from './authz-metrics'
import { cpuMs } from './child'
import { httpGet } from './http'
import { HMAC_LUA } from './paths'
import type { BenchRequest } from './requests'
import { runWrk, type WrkLoad } from './wrk'

// Measuring one scenario: check that one request gets the expected status (the smoke test stops there), then
// a short warm-up and the measured wrk run. Signed scenarios get a fresh file of pre-signed requests for each
// wrk run, sized from the throughput seen so far so the list never runs out.

export interface MeasureOptions {
  mode: 'bench' | 'smoke'
  load: WrkLoad
  warmupSeconds: number
  /** Where pre-signed request files go. */
  workDir: string
  /** The highest req/s to expect (sizes the pre-signed lists). */
  expectedRps: number
  /** The authz whose /metrics counts the measured run's decisions (absent for the baseline servers). */
  authzPort?: number
  /** The server process(es) answering (cluster workers included), whose CPU time per request is reported. */
  serverPids?: () => readonly number[]
  /** Redis' total script time so far, in µs (INFO commandstats). */
  redisScriptMicros?: () => Promise<number>
  /** Sent by a second wrk, with the same load, during the warm-up and the measured run. */
  flood?: BenchRequest
}

export interface Measurement {
  rps: number
  p50Ms: number
  p99Ms: number
  requests: number
  /** Responses with another status than expected (by class: 2xx vs not). */
  unexpected: number
  socketErrors: number
  /** Pre-signed requests sent / available (HMAC scenarios). */
  presigned?: { sent: number; total: number }
  /** What authz counted during the measured run: decisions by reason, redis_errors, fail_open_<kind>. */
  authz?: Counts
  /**
   * CPU time the answering server spent per request, in µs (user + system, from /proc). Unlike req/s it hardly
   * depends on what else the machine is doing, so it is the figure to compare before/after an optimisation.
   */
  serverCpuUs?: number
  /** Redis time in the admission script per request, in µs (every request, also those that need none). */
  redisScriptUs?: number
  /** The flood's own req/s and how many of its replies had another status than expected. */
  flood?: { rps: number; unexpected: number }
}

let files = 0

function writePresigned(dir: string, request: BenchRequest, count: number): string {
  const sign = request.sign
  if (sign === undefined) throw new Error('writePresigned: not a signed scenario')
  files += 1
  const path = join(dir, `presigned-${process.pid}-${files}.txt`)
  const fd = openSync(path, 'w')
  try {
    let chunk: string[] = []
    for (let i = 0; i < count; i++) {
      const s = sign()
      chunk.push(`${s.authorization}\t${s.contentDigest ?? ''}`)
      if (chunk.length === 10_000 || i === count - 1) {
        writeSync(fd, `${chunk.join('\n')}\n`)
        chunk = []
      }
    }
  } finally {
    closeSync(fd)
  }
  return path
}

/** One request, after `prime` others; throws unless it gets the expected status. */
export async function checkOnce(port: number, request: BenchRequest, label: string): Promise<number> {
  const headersFor = (): Record<string, string> => {
    if (request.sign === undefined) return { ...request.headers }
    const s = request.sign()
    const headers: Record<string, string> = { ...request.headers, Authorization: s.authorization }
    if (s.contentDigest !== undefined) headers['Content-Digest'] = s.contentDigest
    return headers
  }
  for (let i = 0; i < (request.prime ?? 0); i++) await httpGet(port, request.path, headersFor())
  const reply = await httpGet(port, request.path, headersFor())
  if (reply.status !== request.expect) {
    throw new Error(
      `${label}: expected ${request.expect}, got ${reply.status} (x-auth-reason: ${String(reply.headers['x-auth-reason'])}) ${reply.body}`,
    )
  }
  return reply.status
}

/** `request` measured by one wrk while, when `options.flood` is set, a second wrk sends the flood. */
async function wrkFlooded(port: number, request: BenchRequest, seconds: number, options: MeasureOptions) {
  if (options.flood === undefined) return { main: await wrkOnce(port, request, seconds, options), flood: undefined }
  const [main, flood] = await Promise.all([
    wrkOnce(port, request, seconds, options),
    wrkOnce(port, options.flood, seconds, options),
  ])
  return { main, flood }
}

async function wrkOnce(port: number, request: BenchRequest, seconds: number, options: MeasureOptions) {
  const url = `http://127.0.0.1:${port}${request.path}`
  let data: string | undefined
  if (request.sign !== undefined) {
    const count = Math.ceil(options.expectedRps * seconds * 1.3) + 1000
    data = writePresigned(options.workDir, request, count)
  }
  try {
    return await runWrk({
      ...options.load,
      seconds,
      url,
      headers: request.headers,
      ...(data === undefined ? {} : { script: { path: HMAC_LUA, data } }),
    })
  } finally {
    if (data !== undefined) rmSync(data, { force: true })
  }
}

export async function measure(
  port: number,
  request: BenchRequest,
  label: string,
  options: MeasureOptions,
): Promise<Measurement | undefined> {
  await checkOnce(port, request, label)
  if (options.flood !== undefined) await checkOnce(port, options.flood, `${label} (flood)`)
  if (options.mode === 'smoke') return undefined
  if (options.warmupSeconds > 0) await wrkFlooded(port, request, options.warmupSeconds, options)
  const before = options.authzPort === undefined ? undefined : await authzCounts(options.authzPort)
  const cpu = () => (options.serverPids?.() ?? []).reduce((sum, pid) => sum + cpuMs(pid), 0)
  const redisBefore = await options.redisScriptMicros?.()
  const cpuBefore = cpu()
  const { main: r, flood } = await wrkFlooded(port, request, options.load.seconds, options)
  const cpuUsed = cpu() - cpuBefore
  const redisAfter = await options.redisScriptMicros?.()
  const after = options.authzPort === undefined ? undefined : await authzCounts(options.authzPort)
  const ok2xx = request.expect >= 200 && request.expect < 300
  const m: Measurement = {
    rps: r.rps,
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
    requests: r.requests,
    unexpected: ok2xx ? r.non2xx : r.requests - r.non2xx,
    socketErrors: r.socketErrors,
  }
  if (r.presigned !== undefined) m.presigned = r.presigned
  if (flood !== undefined && options.flood !== undefined) {
    const floodOk2xx = options.flood.expect >= 200 && options.flood.expect < 300
    m.flood = { rps: flood.rps, unexpected: floodOk2xx ? flood.non2xx : flood.requests - flood.non2xx }
  }
  if (before !== undefined && after !== undefined) m.authz = countsDelta(before, after)
  if (options.serverPids !== undefined && r.requests > 0) m.serverCpuUs = (cpuUsed * 1000) / r.requests
  if (redisBefore !== undefined && redisAfter !== undefined && r.requests > 0) {
    m.redisScriptUs = (redisAfter - redisBefore) / r.requests
  }
  return m
}
