import type { RedisOptions } from 'ioredis'
import { createAdmitBatcher } from './admit-batch'
import { withDeadline } from './deadline'
import { limitKey, nonceKey } from './keys'
import { createNonceBatcher } from './nonce-batch'
import {
  ALLOWED_UNLIMITED,
  ALLOWED_UNLIMITED_PROMISE,
  BOTH_WINDOWS,
  failureResult,
  limitedResult,
  policyState,
  REPLAYED,
  toUsage,
} from './outcomes'
import { DEFAULT_WINDOWS, type ResolvedPolicy, resolvePolicies, validateWindows, type WindowShapes } from './policies'
import { createAdmissionClient, runAdmitScript } from './redis-client'
import type {
  AdmissionMetrics,
  AdmissionStore,
  AdmitRequest,
  AdmitResult,
  FailureMode,
  PolicyState,
  Usage,
} from './types'

export type RedisAdmissionStoreOptions = {
  url: string
  /** Default 'gk:'. */
  keyPrefix?: string
  /** Upper bound for every Redis call, e.g. 5. */
  timeoutMs: number
  /**
   * A connection that leaves commands unanswered this long is dropped and re-established (default 1000, see
   * redis-client.ts). Raised only where the process itself may stall for longer (under valgrind).
   */
  socketTimeoutMs?: number
  rateLimitFailureMode: FailureMode
  nonceFailureMode: FailureMode
  /** Redis errors and timeouts; `op` is 'admit', 'usage' or 'connection'. The caller logs (rate limited). */
  onError?: (err: Error, op: string) => void
  metrics?: AdmissionMetrics
}

export type RedisAdmissionStore = AdmissionStore & {
  /** Resolves true once connected (false after `waitMs`); for start-up and tests. */
  ready(waitMs?: number): Promise<boolean>
}

/** Knobs for tests: short windows, a caller-supplied clock, raw ioredis options. */
export type RedisStoreTuning = { windows?: WindowShapes; trustCallerClock?: boolean; redis?: RedisOptions }

type Reply = { status: number; now: number | null; sums: number[]; resets: number[] }

const NONCE_FRESH: Reply = Object.freeze({ status: 1, now: null, sums: [], resets: [] })
const NONCE_USED: Reply = Object.freeze({ status: 0, now: null, sums: [], resets: [] })

function parseReply(raw: unknown): Reply {
  if (!Array.isArray(raw) || raw.length < 2 || !raw.every((v) => typeof v === 'number')) {
    throw new Error('unexpected reply from admission script')
  }
  const nums: number[] = raw
  const sums: number[] = []
  const resets: number[] = []
  for (let i = 2; i + 1 < nums.length; i += 2) {
    sums.push(nums[i] ?? 0)
    resets.push(nums[i + 1] ?? 0)
  }
  return { status: nums[0] ?? -1, now: nums[1] ?? 0, sums, resets }
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err))
}

export function createRedisAdmissionStore(opts: RedisAdmissionStoreOptions): RedisAdmissionStore {
  return createTunedRedisAdmissionStore(opts, {})
}

/** Internal: `createRedisAdmissionStore` with test knobs; `admitAt` also returns the Redis time of the decision. */
export function createTunedRedisAdmissionStore(
  opts: RedisAdmissionStoreOptions,
  tuning: RedisStoreTuning,
): RedisAdmissionStore & { admitAt(req: AdmitRequest): Promise<{ result: AdmitResult; serverNow: number | null }> } {
  const prefix = opts.keyPrefix ?? 'gk:'
  const windows = tuning.windows ?? DEFAULT_WINDOWS
  validateWindows(windows)
  const { timeoutMs, metrics, onError } = opts
  let up = false
  let closed = false
  const waiters = new Set<() => void>()

  const redis = createAdmissionClient(
    opts.url,
    {
      onUp: () => {
        up = true
        for (const wake of waiters) wake()
        waiters.clear()
      },
      onDown: () => {
        up = false
      },
      onError: (err) => onError?.(err, 'connection'),
    },
    opts.socketTimeoutMs === undefined ? tuning.redis : { socketTimeout: opts.socketTimeoutMs, ...tuning.redis },
  )
  const nonces = createNonceBatcher(redis, timeoutMs)
  const admissions = createAdmitBatcher(redis, timeoutMs)

  function report(err: unknown, op: 'admit' | 'usage'): Error {
    const e = toError(err)
    metrics?.redisErrors(op)
    onError?.(e, op)
    return e
  }

  /**
   * What Redis answered, as the decision's result: `true` / `false` from a lone nonce's claim (fresh / used), else
   * the admission script's raw reply. Throws on a reply it cannot read (the caller applies the failure mode).
   */
  function interpret(answer: unknown, policies: readonly ResolvedPolicy[]): AdmitResult {
    const reply = answer === true ? NONCE_FRESH : answer === false ? NONCE_USED : parseReply(answer)
    if (reply.status === 0) {
      metrics?.replayBlocked()
      return REPLAYED
    }
    const states: PolicyState[] = []
    for (let i = 0; i < policies.length; i++) {
      const p = policies[i]
      if (p) states.push(policyState(p, reply.sums[i] ?? 0, reply.resets[i] ?? p.windowMs))
    }
    if (reply.status === 1) return { outcome: 'allowed', policies: states }
    if (reply.status === 2) return limitedResult(policies, states, reply.sums)
    throw new Error(`unexpected admission status ${reply.status}`)
  }

  /** The raw answer interpret() reads; rejects when Redis fails or misses the deadline. */
  function run(req: AdmitRequest, policies: readonly ResolvedPolicy[]): Promise<unknown> {
    if (closed) return Promise.reject(new Error('admission store is closed'))
    // A nonce alone (an HMAC client without limits) needs no admission script: SET NX EX is as atomic and costs
    // Redis a fraction of an EVALSHA (~20 us of Redis CPU per signed request on the benchmark box), and the nonces
    // of concurrent requests share one call (nonce-batch.ts).
    if (req.nonce && policies.length === 0) {
      const ttl = Math.max(1, Math.floor(req.nonce.ttlSeconds))
      return nonces.claim(req.clientId, nonceKey(prefix, req.clientId, req.nonce.value), ttl)
    }
    const keys: string[] = []
    const args: (string | number)[] = [req.nonce ? Math.max(1, Math.floor(req.nonce.ttlSeconds)) : 0, '1']
    args.push(tuning.trustCallerClock && req.now !== undefined ? req.now : 0)
    if (req.nonce) keys.push(nonceKey(prefix, req.clientId, req.nonce.value))
    for (const p of policies) {
      keys.push(limitKey(prefix, req.clientId, p.name))
      args.push(p.limit, p.windowMs, p.bucketMs)
    }
    // Concurrent admissions share one script call (admit-batch.ts); each still runs atomically, in order.
    return admissions.admit(req.clientId, keys, args)
  }

  function failed(err: unknown, req: AdmitRequest, policies: readonly ResolvedPolicy[]): AdmitResult {
    report(err, 'admit')
    return failureResult({
      nonce: req.nonce !== undefined,
      limited: policies.length > 0,
      nonceFailureMode: opts.nonceFailureMode,
      rateLimitFailureMode: opts.rateLimitFailureMode,
      metrics,
    })
  }

  /**
   * The decision from Redis's answer in one step after the reply (a decision waiting on Redis already passes through
   * several promise reactions in authz, each a job, an allocation and a `then` lookup on what it resolves with).
   */
  function decide(req: AdmitRequest, policies: readonly ResolvedPolicy[]): Promise<AdmitResult> {
    return run(req, policies).then(
      (answer) => {
        try {
          return interpret(answer, policies)
        } catch (err) {
          return failed(err, req, policies)
        }
      },
      (err: unknown) => failed(err, req, policies),
    )
  }

  return {
    admit(req) {
      const policies = resolvePolicies(req.limits, windows)
      if (!req.nonce && policies.length === 0) return ALLOWED_UNLIMITED_PROMISE
      return decide(req, policies)
    },

    admitAt(req) {
      const policies = resolvePolicies(req.limits, windows)
      if (!req.nonce && policies.length === 0) return Promise.resolve({ result: ALLOWED_UNLIMITED, serverNow: null })
      // The script's clock, for tests of the window's arithmetic (a lone nonce's claim reads none).
      return run(req, policies).then(
        (answer) => {
          try {
            const serverNow = typeof answer === 'boolean' ? null : parseReply(answer).now
            return { result: interpret(answer, policies), serverNow }
          } catch (err) {
            return { result: failed(err, req, policies), serverNow: null }
          }
        },
        (err: unknown) => ({ result: failed(err, req, policies), serverNow: null }),
      )
    },

    async usage(clientId, limits): Promise<Usage> {
      if (closed) throw new Error('admission store is closed')
      const both = resolvePolicies(BOTH_WINDOWS, windows)
      const keys = both.map((p) => limitKey(prefix, clientId, p.name))
      const args: (string | number)[] = [0, '0', 0]
      for (const p of both) args.push(p.limit, p.windowMs, p.bucketMs)
      let reply: Reply
      try {
        reply = parseReply(await withDeadline(runAdmitScript(redis, keys, args), timeoutMs))
      } catch (err) {
        throw report(err, 'usage')
      }
      return toUsage(limits, reply.sums[0] ?? 0, reply.sums[1] ?? 0)
    },

    state: () => (up ? 'up' : 'down'),

    ready(waitMs = 5000) {
      if (up) return Promise.resolve(true)
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          waiters.delete(wake)
          resolve(false)
        }, waitMs)
        const wake = () => {
          clearTimeout(timer)
          resolve(true)
        }
        waiters.add(wake)
      })
    },

    async close() {
      if (closed) return
      closed = true
      if (redis.status === 'ready') await withDeadline(redis.quit(), 1000).catch(() => undefined)
      redis.disconnect()
      up = false
    },
  }
}
