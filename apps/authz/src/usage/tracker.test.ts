import type { LastUsed, UsageCount } from '@gatekeeper/db'
import type { Decision } from '@gatekeeper/engine'
import { describe, expect, it } from 'vitest'
import { type UsageSink, UsageTracker } from './tracker'

const HOUR = 3_600_000
const T0 = Date.UTC(2026, 0, 15, 10, 0, 0)

function recordingSink() {
  const lastUsed: LastUsed[][] = []
  const usage: UsageCount[][] = []
  let failures = 0
  const sink: UsageSink & { failNext(n: number): void } = {
    async writeLastUsed(entries) {
      if (failures > 0) {
        failures--
        throw new Error('database down')
      }
      lastUsed.push([...entries])
    },
    async writeUsage(counts) {
      usage.push([...counts])
    },
    prune: async () => 0,
    failNext(n) {
      failures = n
    },
  }
  return { sink, lastUsed, usage }
}

const allow = (clientId: string, credentialId: string): Decision => ({
  allowed: true,
  status: 200,
  reason: 'authenticated',
  routeId: 'r',
  serviceName: 's',
  clientId,
  credentialId,
})
const refuse = (reason: 'no_permission' | 'ip_not_allowed', clientId?: string): Decision => ({
  allowed: false,
  status: 403,
  reason,
  ...(clientId === undefined ? {} : { clientId }),
})
const limited = (clientId: string): Decision => ({
  allowed: false,
  status: 429,
  reason: 'rate_limit_exceeded',
  clientId,
})

function sorted(rows: UsageCount[]): UsageCount[] {
  return [...rows].sort((a, b) =>
    `${a.clientId}${a.hour}${a.outcome}${a.reason}`.localeCompare(`${b.clientId}${b.hour}${b.outcome}${b.reason}`),
  )
}

describe('UsageTracker', () => {
  it('counts per client and hour by outcome and reason, keeps the latest use per credential, writes once per flush', async () => {
    const clock = { now: T0 + 5000 }
    const { sink, lastUsed, usage } = recordingSink()
    const tracker = new UsageTracker({ sink, flushIntervalMs: 60_000, retentionDays: 30, now: () => clock.now })
    for (let i = 0; i < 3; i++) tracker.record(allow('c1', 'k1'))
    clock.now += 1000
    tracker.record(allow('c1', 'k1'))
    tracker.record(refuse('no_permission', 'c1'))
    tracker.record(refuse('ip_not_allowed', 'c1'))
    tracker.record(refuse('ip_not_allowed', 'c1'))
    tracker.record(limited('c2'))
    tracker.record(refuse('no_permission')) // names no client: not counted
    await tracker.flush()
    const hour = T0 / 1000
    expect(lastUsed).toEqual([[{ credentialId: 'k1', atMs: T0 + 6000 }]])
    expect(usage).toHaveLength(1)
    expect(sorted(usage[0] ?? [])).toEqual(
      sorted([
        { clientId: 'c1', hour, outcome: 'allowed', reason: '', n: 4 },
        { clientId: 'c1', hour, outcome: 'refused', reason: 'no_permission', n: 1 },
        { clientId: 'c1', hour, outcome: 'refused', reason: 'ip_not_allowed', n: 2 },
        { clientId: 'c2', hour, outcome: 'rate_limited', reason: '', n: 1 },
      ]),
    )
    await tracker.flush() // nothing new: no write at all
    expect(usage).toHaveLength(1)
    expect(tracker.pending()).toEqual({ credentials: 0, clients: 0 })
  })

  it('an hour that ends between flushes is written under its own hour', async () => {
    const clock = { now: T0 + HOUR - 1 }
    const { sink, usage } = recordingSink()
    const tracker = new UsageTracker({ sink, flushIntervalMs: 60_000, retentionDays: 30, now: () => clock.now })
    tracker.record(allow('c1', 'k1'))
    clock.now += 2
    tracker.record(allow('c1', 'k1'))
    tracker.record(allow('c1', 'k1'))
    await tracker.flush()
    expect(sorted(usage[0] ?? [])).toEqual([
      { clientId: 'c1', hour: T0 / 1000, outcome: 'allowed', reason: '', n: 1 },
      { clientId: 'c1', hour: (T0 + HOUR) / 1000, outcome: 'allowed', reason: '', n: 2 },
    ])
  })

  it('a failed flush loses nothing: the next one writes it together with what came meanwhile', async () => {
    const clock = { now: T0 }
    const { sink, lastUsed, usage } = recordingSink()
    const errors: string[] = []
    const tracker = new UsageTracker({
      sink,
      flushIntervalMs: 60_000,
      retentionDays: 30,
      now: () => clock.now,
      onError: (_err, what) => errors.push(what),
    })
    tracker.record(allow('c1', 'k1'))
    sink.failNext(1)
    await tracker.flush()
    expect(errors).toEqual(['flush'])
    clock.now += 1000
    tracker.record(allow('c1', 'k2'))
    await tracker.flush()
    expect(lastUsed[0]?.map((e) => e.credentialId).sort()).toEqual(['k1', 'k2'])
    const allowed = (usage[0] ?? []).filter((r) => r.outcome === 'allowed').reduce((n, r) => n + r.n, 0)
    expect(allowed).toBe(2)
  })

  it('stop() writes what is left', async () => {
    const { sink, usage } = recordingSink()
    const tracker = new UsageTracker({ sink, flushIntervalMs: 3_600_000, retentionDays: 30 })
    tracker.start()
    tracker.record(allow('c1', 'k1'))
    await tracker.stop()
    expect(usage.flat()).toMatchObject([{ clientId: 'c1', outcome: 'allowed', n: 1 }])
  })
})
