import { Agent, request } from 'node:http'

// A load generator that checks every answer. Each probe is a request with the statuses it may get *right now*
// (the fault scripts change what is expected as they break and repair things). An answer outside that set is a
// wrong decision if it is a 2xx/4xx, an error if it is a 5xx or no answer at all. Closed loop (`concurrency`
// workers back to back) to measure capacity, or paced (`ratePerSecond`) for the soak.

export interface Probe {
  name: string
  /** The client's method (sent as X-Original-Method when `direct`). */
  method?: string
  /** A function gives a fresh target every time. */
  target: string | (() => string)
  headers?: () => Record<string, string>
  /** Statuses this probe may get now. */
  expect: () => readonly number[]
  /** Relative frequency in the mix (default 1). */
  weight?: number
}

export interface LoadOptions {
  port: number
  probes: readonly Probe[]
  concurrency: number
  /** Paced: at most this many requests per second (default: closed loop, as fast as answers come). */
  ratePerSecond?: number
  /** Ask authz's /authz directly (the request goes in X-Original-*); otherwise send it as a client to nginx. */
  direct: boolean
  host?: string
  timeoutMs?: number
}

export interface ProbeStats {
  sent: number
  ok: number
  wrong: number
  errors: number
  byStatus: Record<string, number>
  /** A few examples of wrong or failed answers. */
  examples: string[]
}

export interface LoadReport {
  seconds: number
  sent: number
  ok: number
  wrong: number
  errors: number
  perSecond: number
  /** Milliseconds. */
  p50: number
  p99: number
  max: number
  probes: Record<string, ProbeStats>
  /** Per elapsed second: [ok, wrong, errors]. */
  timeline: Array<[number, number, number]>
}

const BUCKET_MS = 0.1
const BUCKETS = 50_000 // 5 s

class Histogram {
  private counts = new Uint32Array(BUCKETS + 1)
  private total = 0
  max = 0
  add(ms: number) {
    const i = Math.min(BUCKETS, Math.floor(ms / BUCKET_MS))
    this.counts[i] = (this.counts[i] ?? 0) + 1
    this.total++
    if (ms > this.max) this.max = ms
  }
  quantile(q: number): number {
    if (this.total === 0) return 0
    let seen = 0
    const want = q * this.total
    for (let i = 0; i <= BUCKETS; i++) {
      seen += this.counts[i] ?? 0
      if (seen >= want) return (i + 1) * BUCKET_MS
    }
    return this.max
  }
}

export class Load {
  private readonly agent: Agent
  private readonly stats = new Map<string, ProbeStats>()
  private readonly histogram = new Histogram()
  private readonly timeline: Array<[number, number, number]> = []
  private readonly schedule: Probe[]
  private running = false
  private started = 0
  private stoppedAt = 0
  private inFlight = 0
  private workers: Array<Promise<void>> = []
  private pacer: NodeJS.Timeout | undefined
  private next = 0

  constructor(private readonly options: LoadOptions) {
    this.agent = new Agent({ keepAlive: true, maxSockets: options.concurrency, maxFreeSockets: options.concurrency })
    this.schedule = options.probes.flatMap((probe) => Array.from({ length: probe.weight ?? 1 }, () => probe))
    for (const probe of options.probes) {
      this.stats.set(probe.name, { sent: 0, ok: 0, wrong: 0, errors: 0, byStatus: {}, examples: [] })
    }
  }

  start(): this {
    this.running = true
    this.started = performance.now()
    const rate = this.options.ratePerSecond
    if (rate === undefined) {
      this.workers = Array.from({ length: this.options.concurrency }, () => this.worker())
    } else {
      // Paced: every 10 ms, fire the requests due so far, never more than `concurrency` in flight.
      let due = 0
      this.pacer = setInterval(() => {
        due += rate / 100
        while (due >= 1 && this.inFlight < this.options.concurrency) {
          due -= 1
          void this.one()
        }
        if (due > rate) due = rate // a saturated client does not build an unbounded backlog
      }, 10)
    }
    return this
  }

  private async worker(): Promise<void> {
    while (this.running) await this.one()
  }

  private pick(): Probe {
    const probe = this.schedule[this.next % this.schedule.length]
    this.next++
    if (probe === undefined) throw new Error('no probes')
    return probe
  }

  private async one(): Promise<void> {
    const probe = this.pick()
    const stats = this.stats.get(probe.name)
    if (stats === undefined) return
    this.inFlight++
    // What was expected when it was sent, or when its answer came: a fault may begin or end in between.
    const before = probe.expect()
    const t0 = performance.now()
    let status = 0
    let reason = ''
    let failure = ''
    try {
      ;[status, reason] = await this.send(probe)
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err)
    }
    this.inFlight--
    const ms = performance.now() - t0
    this.histogram.add(ms)
    const second = Math.floor((performance.now() - this.started) / 1000)
    while (this.timeline.length <= second) this.timeline.push([0, 0, 0])
    const slot = this.timeline[second]
    if (slot === undefined) return
    stats.sent++
    stats.byStatus[String(status || 'none')] = (stats.byStatus[String(status || 'none')] ?? 0) + 1
    const expected = [...new Set([...before, ...probe.expect()])]
    if (status !== 0 && expected.includes(status)) {
      stats.ok++
      slot[0]++
      return
    }
    const what = failure !== '' ? failure : `status ${status} ${reason}, expected ${expected.join('/')}`
    if (status === 0 || status >= 500) {
      stats.errors++
      slot[2]++
    } else {
      stats.wrong++
      slot[1]++
    }
    if (stats.examples.length < 5) stats.examples.push(`t=${second}s ${what}`)
  }

  /** [status, X-Auth-Reason]. */
  private send(probe: Probe): Promise<[number, string]> {
    const o = this.options
    const headers: Record<string, string> = { host: o.host ?? 'api.example.com', ...probe.headers?.() }
    const method = probe.method ?? 'GET'
    const target = typeof probe.target === 'string' ? probe.target : probe.target()
    if (o.direct) {
      headers['x-original-uri'] = target
      headers['x-original-method'] = method
      headers['x-original-host'] = o.host ?? 'api.example.com'
    }
    return new Promise<[number, string]>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: o.port,
          method: o.direct ? 'GET' : method,
          path: o.direct ? '/authz' : target,
          headers,
          agent: this.agent,
          timeout: o.timeoutMs ?? 5000,
        },
        (res) => {
          res.resume()
          const reason = res.headers['x-auth-reason']
          res.on('end', () => resolve([res.statusCode ?? 0, typeof reason === 'string' ? reason : '']))
          res.on('error', reject)
        },
      )
      req.on('timeout', () => req.destroy(new Error(`no answer within ${o.timeoutMs ?? 5000} ms`)))
      req.on('error', reject)
      req.end()
    })
  }

  /** Figures so far, without stopping. */
  report(): LoadReport {
    const end = this.running ? performance.now() : this.stoppedAt
    const seconds = (end - this.started) / 1000
    let sent = 0
    let ok = 0
    let wrong = 0
    let errors = 0
    const probes: Record<string, ProbeStats> = {}
    for (const [name, s] of this.stats) {
      probes[name] = { ...s, byStatus: { ...s.byStatus }, examples: [...s.examples] }
      sent += s.sent
      ok += s.ok
      wrong += s.wrong
      errors += s.errors
    }
    return {
      seconds,
      sent,
      ok,
      wrong,
      errors,
      perSecond: seconds > 0 ? sent / seconds : 0,
      p50: this.histogram.quantile(0.5),
      p99: this.histogram.quantile(0.99),
      max: this.histogram.max,
      probes,
      timeline: this.timeline.map((slot) => [...slot] as [number, number, number]),
    }
  }

  async stop(): Promise<LoadReport> {
    this.running = false
    if (this.pacer !== undefined) clearInterval(this.pacer)
    await Promise.all(this.workers)
    const deadline = Date.now() + 10_000
    while (this.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
    this.stoppedAt = performance.now()
    this.agent.destroy()
    return this.report()
  }
}

/**
 * Runs the probes for a while without judging them: connections opened, Redis scripts loaded, code warm. A
 * measurement that starts cold reports the start-up, not the fault.
 */
export async function warmUp(options: Omit<LoadOptions, 'ratePerSecond'>, ms = 1500): Promise<void> {
  const anything = options.probes.map((probe) => ({ ...probe, expect: () => [] as number[] }))
  const load = new Load({ ...options, probes: anything }).start()
  await new Promise((r) => setTimeout(r, ms))
  await load.stop()
}
