// Nonce checks of concurrent signed requests in one Redis call. A signed request of a client without limits needs
// only `SET <nonce key> 1 NX EX ttl`; under load many such requests are decided in the same event-loop turn, and
// each paid for its own command (arguments encoded, a reply parsed, a deadline timer) on top of Redis's own
// per-command work. Here the nonces claimed during one turn are gathered and sent, once the turn's I/O callbacks
// have run (setImmediate), as one script call that runs every SET NX in order: the same atomic check-and-store per
// nonce as before, so exactly one of any number of concurrent claims of a nonce (in one batch, in two batches, on
// two replicas) finds it fresh. A lone claim stays a plain SET NX EX.
//
// The script is defined once per key count (2, 4, 8, ..., 64 keys; a batch is sent as a few of these): ioredis
// routes a command on a Cluster by its first argument, which must therefore be a key, as for the admission script.
// On a Cluster a batch holds one client's nonces only (their keys share the `{clientId}` hash slot).

import { withDeadline } from './deadline'
import type { AdmissionClient } from './redis-client'
import { BATCH_KEY_COUNTS, type BatchKeyCount, defineBatchCommands, runBatchCommand, turnBatcher } from './turn-batch'

/** KEYS: nonce keys; ARGV[i]: the TTL of KEYS[i] in seconds. Reply: per key 1 (fresh, now stored) or 0 (used). */
const NONCES_LUA = `
local out = {}
for i = 1, #KEYS do
  if redis.call('SET', KEYS[i], '1', 'NX', 'EX', ARGV[i]) then out[i] = 1 else out[i] = 0 end
end
return out
`

/** Largest first: a batch is sent as the fewest script calls. */
const SIZES = [...BATCH_KEY_COUNTS].reverse()
/** The most claims sent in one call; more in one turn start the next batch. */
const MAX_NONCE_BATCH = 64
const COMMAND = 'gatekeeperNonces'

export function defineNonceCommands(redis: AdmissionClient): void {
  defineBatchCommands(redis, COMMAND, NONCES_LUA)
}

interface Claim {
  key: string
  ttlSeconds: number
  resolve(fresh: boolean): void
  reject(err: unknown): void
}

export interface NonceBatcher {
  /**
   * Stores `key` unless it exists: resolves true when it was fresh, false when it was already used. Rejects when
   * Redis does not answer within the deadline or fails (the caller applies its failure mode).
   */
  claim(group: string, key: string, ttlSeconds: number): Promise<boolean>
}

export function createNonceBatcher(redis: AdmissionClient, timeoutMs: number): NonceBatcher {
  function send(claims: Claim[]): void {
    let from = 0
    while (from < claims.length) {
      const left = claims.length - from
      if (left === 1) {
        sendOne(claims[from] as Claim)
        return
      }
      const size = SIZES.find((s) => s <= left) as BatchKeyCount
      sendMany(claims.slice(from, from + size), size)
      from += size
    }
  }

  function sendOne(claim: Claim): void {
    const set = redis.set(claim.key, '1', 'EX', claim.ttlSeconds, 'NX')
    withDeadline(set, timeoutMs).then(
      (ok) => claim.resolve(ok === 'OK'),
      (err: unknown) => claim.reject(err),
    )
  }

  function sendMany(claims: Claim[], size: BatchKeyCount): void {
    const keysAndArgs: (string | number)[] = new Array(size * 2)
    for (let i = 0; i < size; i++) {
      const c = claims[i] as Claim
      keysAndArgs[i] = c.key
      keysAndArgs[size + i] = c.ttlSeconds
    }
    withDeadline(runBatchCommand(redis, COMMAND, size, keysAndArgs), timeoutMs).then(
      (reply) => {
        if (!Array.isArray(reply) || reply.length !== size) {
          const err = new Error('unexpected reply from nonce script')
          for (const c of claims) c.reject(err)
          return
        }
        for (let i = 0; i < size; i++) (claims[i] as Claim).resolve(reply[i] === 1)
      },
      (err: unknown) => {
        for (const c of claims) c.reject(err)
      },
    )
  }

  // Standalone and Sentinel: any keys in one script; Cluster: one batch per client (hash slot).
  const batch = turnBatcher<Claim>({ perGroup: redis.isCluster, max: MAX_NONCE_BATCH, weight: () => 1, send })

  return {
    claim(group, key, ttlSeconds) {
      return new Promise<boolean>((resolve, reject) => batch.add(group, { key, ttlSeconds, resolve, reject }))
    },
  }
}
