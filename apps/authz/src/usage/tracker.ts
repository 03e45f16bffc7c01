// Last-used times per credential and decision counts per client and hour, kept in memory on the request path
// (a Map lookup and an increment, nothing else) and written to PostgreSQL in batches off it: one UPDATE for the
// last-used times and one additive upsert for the counts per flush, every `flushIntervalMs` (60 s by default:
// at most one write per credential per minute) and once more on graceful shutdown. Several replicas write the
// same rows safely: last_used_at only moves forward, and each replica adds only what it counted since its last
// flush. A failed flush keeps what it could not write and tries again next time.

import type { LastUsed, UsageCount } from '@gatekeeper/db'
import type { Decision } from '@gatekeeper/engine'

export interface UsageSink {
  writeLastUsed(entries: readonly LastUsed[]): Promise<void>
  writeUsage(counts: readonly UsageCount[]): Promise<void>
  /** Deletes hours older than the retention; returns how many rows went. */
  prune(retentionDays: number): Promise<number>
}

export interface UsageTrackerOptions {
  sink: UsageSink
  flushIntervalMs: number
  retentionDays: number
  /** How often old hours are pruned (hourly by default). */
  pruneIntervalMs?: number
  now?: () => number
  onError?: (err: unknown, what: 'flush' | 'prune') => void
}

const HOUR_MS = 3_600_000

/** One client's counts in one hour. */
class HourCounts {
  allowed = 0
  rateLimited = 0
  /** By refusal reason; created on the first refusal. */
  refused: Map<string, number> | undefined
  constructor(readonly hourMs: number) {}
}

export class UsageTracker {
  private lastUsed = new Map<string, number>()
  private counts = new Map<string, HourCounts>()
  /** Counts of an hour that ended before the flush: kept until the next one writes them. */
  private ended: Array<{ clientId: string; counts: HourCounts }> = []
  private flushing: Promise<void> | undefined
  private timers: NodeJS.Timeout[] = []
  private readonly now: () => number

  constructor(private readonly options: UsageTrackerOptions) {
    this.now = options.now ?? Date.now
  }

  /** On the request path: O(1), no I/O. Decisions that name no client (unknown key, public route) are not counted. */
  record(decision: Decision): void {
    const clientId = decision.clientId
    if (clientId === undefined) return
    const nowMs = this.now()
    const hourMs = nowMs - (nowMs % HOUR_MS)
    let c = this.counts.get(clientId)
    if (c === undefined || c.hourMs !== hourMs) {
      if (c !== undefined) this.ended.push({ clientId, counts: c })
      c = new HourCounts(hourMs)
      this.counts.set(clientId, c)
    }
    if (decision.allowed) {
      c.allowed++
      if (decision.credentialId !== undefined) this.lastUsed.set(decision.credentialId, nowMs)
    } else if (decision.status === 429) {
      c.rateLimited++
    } else {
      c.refused ??= new Map()
      c.refused.set(decision.reason, (c.refused.get(decision.reason) ?? 0) + 1)
    }
  }

  /** Starts the periodic flush and prune (timers do not keep the process alive). */
  start(): void {
    if (this.timers.length > 0) return
    const flush = setInterval(() => void this.flush(), this.options.flushIntervalMs)
    const prune = setInterval(() => void this.prune(), this.options.pruneIntervalMs ?? HOUR_MS)
    flush.unref()
    prune.unref()
    this.timers.push(flush, prune)
    void this.prune()
  }

  /** Stops the timers and writes what is still in memory (graceful shutdown). */
  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t)
    this.timers = []
    await this.flush()
  }

  /** What is waiting to be written: for tests and /metrics. */
  pending(): { credentials: number; clients: number } {
    return { credentials: this.lastUsed.size, clients: this.counts.size + this.ended.length }
  }

  /** Writes everything recorded so far; concurrent calls wait for the flush in progress and then run their own. */
  async flush(): Promise<void> {
    while (this.flushing !== undefined) await this.flushing
    this.flushing = this.writeOnce().finally(() => {
      this.flushing = undefined
    })
    return this.flushing
  }

  async prune(): Promise<void> {
    try {
      await this.options.sink.prune(this.options.retentionDays)
    } catch (err) {
      this.options.onError?.(err, 'prune')
    }
  }

  private async writeOnce(): Promise<void> {
    const lastUsed = this.lastUsed
    const counts = this.counts
    const ended = this.ended
    if (lastUsed.size === 0 && counts.size === 0 && ended.length === 0) return
    this.lastUsed = new Map()
    this.counts = new Map()
    this.ended = []

    const entries: LastUsed[] = []
    for (const [credentialId, atMs] of lastUsed) entries.push({ credentialId, atMs })
    const rows = usageRows(counts, ended)
    let wroteLastUsed = false
    try {
      await this.options.sink.writeLastUsed(entries)
      wroteLastUsed = true
      await this.options.sink.writeUsage(rows)
    } catch (err) {
      // Nothing is lost: merged back under what was recorded meanwhile, written with the next flush.
      if (!wroteLastUsed) {
        for (const [id, at] of lastUsed) if ((this.lastUsed.get(id) ?? 0) < at) this.lastUsed.set(id, at)
      }
      this.restore(rows)
      this.options.onError?.(err, 'flush')
    }
  }

  private restore(rows: readonly UsageCount[]): void {
    for (const row of rows) {
      const counts = new HourCounts(row.hour * 1000)
      if (row.outcome === 'allowed') counts.allowed = row.n
      else if (row.outcome === 'rate_limited') counts.rateLimited = row.n
      else counts.refused = new Map([[row.reason, row.n]])
      this.ended.push({ clientId: row.clientId, counts })
    }
  }
}

/** The rows of one flush, one per (client, hour, outcome, reason): equal keys summed (the upsert needs them unique). */
function usageRows(
  current: ReadonlyMap<string, HourCounts>,
  ended: ReadonlyArray<{ clientId: string; counts: HourCounts }>,
): UsageCount[] {
  const byKey = new Map<string, UsageCount>()
  const add = (clientId: string, hourMs: number, outcome: UsageCount['outcome'], reason: string, n: number) => {
    if (n === 0) return
    const hour = hourMs / 1000
    const key = `${clientId} ${hour} ${outcome} ${reason}`
    const row = byKey.get(key)
    if (row === undefined) byKey.set(key, { clientId, hour, outcome, reason, n })
    else row.n += n
  }
  const each = (clientId: string, c: HourCounts) => {
    add(clientId, c.hourMs, 'allowed', '', c.allowed)
    add(clientId, c.hourMs, 'rate_limited', '', c.rateLimited)
    if (c.refused !== undefined) for (const [reason, n] of c.refused) add(clientId, c.hourMs, 'refused', reason, n)
  }
  for (const [clientId, c] of current) each(clientId, c)
  for (const { clientId, counts } of ended) each(clientId, counts)
  return [...byKey.values()]
}
