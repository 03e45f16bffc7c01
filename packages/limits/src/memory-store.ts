import {
  ALLOWED_UNLIMITED_PROMISE,
  BOTH_WINDOWS,
  failureResult,
  limitedResult,
  policyState,
  REPLAYED,
  toUsage,
} from './outcomes'
import { DEFAULT_WINDOWS, type ResolvedPolicy, resolvePolicies, validateWindows, type WindowShapes } from './policies'
import { type Buckets, currentBucket, pruneBuckets, resetMs, windowSum } from './sliding-window'
import type { AdmissionMetrics, AdmissionStore, AdmitResult, FailureMode, PolicyState, Usage } from './types'

export type MemoryAdmissionStoreOptions = {
  /** Default 'open' (as for Redis). Applies when the store is full. */
  rateLimitFailureMode?: FailureMode
  /** Default 'closed': a full nonce table refuses rather than forgetting a live nonce. */
  nonceFailureMode?: FailureMode
  /** Live nonces kept at most; default 1,000,000. */
  maxNonces?: number
  /** Client x policy counters kept at most; default 200,000. */
  maxCounters?: number
  /** Expired entries are swept this often (an unref'ed timer); default 10 s. 0 disables the timer. */
  sweepIntervalMs?: number
  clock?: () => number
  windows?: WindowShapes
  metrics?: AdmissionMetrics
}

export type MemoryAdmissionStore = AdmissionStore & {
  /** Removes expired nonces and idle counters now. */
  sweep(now?: number): void
  size(): { nonces: number; counters: number }
}

type Counter = { buckets: Buckets; expiresAt: number }

/**
 * Single-instance admission store with the Redis store's semantics (same sliding-window arithmetic, same failure
 * modes), for running without Redis. Memory is bounded: entries expire, a timer sweeps them, and a full table is
 * treated like an unavailable Redis.
 */
export function createMemoryAdmissionStore(opts: MemoryAdmissionStoreOptions = {}): MemoryAdmissionStore {
  const clock = opts.clock ?? Date.now
  const windows = opts.windows ?? DEFAULT_WINDOWS
  validateWindows(windows)
  const maxNonces = opts.maxNonces ?? 1_000_000
  const maxCounters = opts.maxCounters ?? 200_000
  const nonces = new Map<string, number>()
  const counters = new Map<string, Counter>()
  let lastFullSweep = Number.NEGATIVE_INFINITY

  function sweep(now = clock()): void {
    lastFullSweep = now
    for (const [k, exp] of nonces) if (exp <= now) nonces.delete(k)
    for (const [k, c] of counters) if (c.expiresAt <= now) counters.delete(k)
  }

  /** When a table is full, sweep (at most once a second) before giving up. */
  function hasRoom(size: () => number, max: number, now: number): boolean {
    if (size() < max) return true
    if (now - lastFullSweep >= 1000) sweep(now)
    return size() < max
  }

  const interval = opts.sweepIntervalMs ?? 10_000
  const timer = interval > 0 ? setInterval(() => sweep(), interval) : undefined
  timer?.unref()

  function counterFor(clientId: string, p: ResolvedPolicy, now: number, create: boolean): Counter | undefined {
    const key = `${clientId}\u0000${p.name}`
    let c = counters.get(key)
    if (c && c.expiresAt <= now) {
      counters.delete(key)
      c = undefined
    }
    if (!c && create) {
      c = { buckets: new Map(), expiresAt: now + p.windowMs + p.bucketMs }
      counters.set(key, c)
    }
    return c
  }

  function fail(nonce: boolean, limited: boolean): AdmitResult {
    return failureResult({
      nonce,
      limited,
      nonceFailureMode: opts.nonceFailureMode ?? 'closed',
      rateLimitFailureMode: opts.rateLimitFailureMode ?? 'open',
      metrics: opts.metrics,
    })
  }

  function decide(clientId: string, policies: readonly ResolvedPolicy[], now: number): AdmitResult {
    const missing = policies.filter((p) => !counterFor(clientId, p, now, false)).length
    if (missing > 0 && !hasRoom(() => counters.size + missing - 1, maxCounters, now)) return fail(false, true)
    const entries: Counter[] = []
    const sums: number[] = []
    let allowed = true
    for (const p of policies) {
      const c = counterFor(clientId, p, now, true)
      if (!c) return fail(false, true)
      pruneBuckets(c.buckets, now, p)
      const sum = windowSum(c.buckets, now, p)
      if (sum >= p.limit) allowed = false
      entries.push(c)
      sums.push(sum)
    }
    const states: PolicyState[] = []
    for (let i = 0; i < policies.length; i++) {
      const p = policies[i]
      const c = entries[i]
      const sum = sums[i]
      if (!p || !c || sum === undefined) continue
      if (allowed) {
        const cur = currentBucket(now, p)
        c.buckets.set(cur, (c.buckets.get(cur) ?? 0) + 1)
        c.expiresAt = now + p.windowMs + p.bucketMs
        sums[i] = sum + 1
      }
      states.push(policyState(p, sums[i] ?? sum, resetMs(c.buckets, now, p, sums[i] ?? sum)))
    }
    return allowed ? { outcome: 'allowed', policies: states } : limitedResult(policies, states, sums)
  }

  return {
    admit(req) {
      const policies = resolvePolicies(req.limits, windows)
      const nonce = req.nonce
      if (!nonce && policies.length === 0) return ALLOWED_UNLIMITED_PROMISE
      const now = req.now ?? clock()
      if (nonce) {
        const key = `${req.clientId}\u0000${nonce.value}`
        const exp = nonces.get(key)
        if (exp !== undefined && exp > now) {
          opts.metrics?.replayBlocked()
          return Promise.resolve(REPLAYED)
        }
        if (exp === undefined && !hasRoom(() => nonces.size, maxNonces, now)) {
          return Promise.resolve(fail(true, policies.length > 0))
        }
        nonces.set(key, now + Math.max(1, Math.floor(nonce.ttlSeconds)) * 1000)
      }
      if (policies.length === 0) return ALLOWED_UNLIMITED_PROMISE
      return Promise.resolve(decide(req.clientId, policies, now))
    },

    usage(clientId, limits): Promise<Usage> {
      const now = clock()
      const [minute, day] = resolvePolicies(BOTH_WINDOWS, windows).map((p) => {
        const c = counterFor(clientId, p, now, false)
        return c ? windowSum(c.buckets, now, p) : 0
      })
      return Promise.resolve(toUsage(limits, minute ?? 0, day ?? 0))
    },

    state: () => 'memory',
    sweep,
    size: () => ({ nonces: nonces.size, counters: counters.size }),

    close() {
      if (timer) clearInterval(timer)
      nonces.clear()
      counters.clear()
      return Promise.resolve()
    },
  }
}
