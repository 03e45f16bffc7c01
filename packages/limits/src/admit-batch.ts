// Admissions of concurrent rate-limited decisions in one Redis call, as nonce-batch.ts does for lone nonces. Each
// admission (a client's nonce and limits) was its own EVALSHA: arguments encoded, a reply parsed, a deadline timer
// in authz, and Redis's per-script set-up, on top of the script's own work. Here the admissions of one event-loop turn
// go to Redis as one script that runs the admission script's body for each of them in turn, in the order they were
// made: Redis runs a script atomically, so each admission sees every earlier one exactly as if it had been its own
// call (in this batch, in another, on another replica), and the limits stay exact. A lone admission stays the plain
// admission script.
//
// On a Cluster a batch holds one client's admissions only (their keys share the `{clientId}` hash slot).

import { ADMIT_LUA } from './admit-script'
import { withDeadline } from './deadline'
import { type AdmissionClient, runAdmitScript } from './redis-client'
import { BATCH_KEY_COUNTS, type BatchKeyCount, defineBatchCommands, runBatchCommand, turnBatcher } from './turn-batch'

/**
 * KEYS: every admission's keys in turn, then padding (repeats of the last key, never read) up to the defined count.
 * ARGV: the number of admissions, then per admission its key count, its argument count and its arguments (the
 * admission script's ARGV). Reply: per admission the length of its reply, then that reply (the admission script's).
 * The admission script runs unchanged as a function whose KEYS and ARGV are that admission's.
 */
const ADMIT_BATCH_LUA = `
local function admit(KEYS, ARGV)
${ADMIT_LUA}
end
local out = {}
local k, a = 0, 2
for i = 1, tonumber(ARGV[1]) do
  local nk, na = tonumber(ARGV[a]), tonumber(ARGV[a + 1])
  local keys, argv = {}, {}
  for j = 1, nk do keys[j] = KEYS[k + j] end
  for j = 1, na do argv[j] = ARGV[a + 1 + j] end
  k, a = k + nk, a + 2 + na
  local reply = admit(keys, argv)
  out[#out + 1] = #reply
  for j = 1, #reply do out[#out + 1] = reply[j] end
end
return out
`

const COMMAND = 'gatekeeperAdmitBatch'
/** Most keys in one call (an admission has 1 to 3). */
const MAX_BATCH_KEYS = BATCH_KEY_COUNTS[BATCH_KEY_COUNTS.length - 1] as number

export function defineAdmitBatchCommands(redis: AdmissionClient): void {
  defineBatchCommands(redis, COMMAND, ADMIT_BATCH_LUA)
}

interface Pending {
  keys: readonly string[]
  args: readonly (string | number)[]
  resolve(reply: unknown): void
  reject(err: unknown): void
}

export interface AdmitBatcher {
  /**
   * Runs the admission script for `keys` and `args` (as runAdmitScript), batched with this turn's other admissions;
   * resolves with its reply. Rejects when Redis does not answer within the deadline or fails.
   */
  admit(group: string, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown>
}

export function createAdmitBatcher(redis: AdmissionClient, timeoutMs: number): AdmitBatcher {
  function send(batch: Pending[]): void {
    if (batch.length === 1) {
      const p = batch[0] as Pending
      withDeadline(runAdmitScript(redis, p.keys, p.args), timeoutMs).then(p.resolve, p.reject)
      return
    }
    let keyCount = 0
    for (const p of batch) keyCount += p.keys.length
    const size = BATCH_KEY_COUNTS.find((n) => n >= keyCount) as BatchKeyCount
    const keys: string[] = []
    const args: (string | number)[] = [batch.length]
    for (const p of batch) {
      for (const key of p.keys) keys.push(key)
      args.push(p.keys.length, p.args.length)
      for (const arg of p.args) args.push(arg)
    }
    const last = keys[keys.length - 1] as string
    while (keys.length < size) keys.push(last)
    withDeadline(runBatchCommand(redis, COMMAND, size, [...keys, ...args]), timeoutMs).then(
      (reply) => {
        const replies = splitReply(reply, batch.length)
        if (replies === undefined) {
          const err = new Error('unexpected reply from admission batch script')
          for (const p of batch) p.reject(err)
          return
        }
        for (let i = 0; i < batch.length; i++) (batch[i] as Pending).resolve(replies[i])
      },
      (err: unknown) => {
        for (const p of batch) p.reject(err)
      },
    )
  }

  const batcher = turnBatcher<Pending>({
    perGroup: redis.isCluster,
    max: MAX_BATCH_KEYS,
    weight: (p) => p.keys.length,
    send,
  })

  return {
    admit(group, keys, args) {
      return new Promise<unknown>((resolve, reject) => batcher.add(group, { keys, args, resolve, reject }))
    },
  }
}

/** `[n1, ...reply1, n2, ...reply2, ...]` into the `count` replies; undefined when it is not that. */
export function splitReply(reply: unknown, count: number): unknown[][] | undefined {
  if (!Array.isArray(reply)) return undefined
  const out: unknown[][] = []
  let at = 0
  while (at < reply.length) {
    const n = reply[at]
    if (typeof n !== 'number' || n < 0 || at + 1 + n > reply.length) return undefined
    out.push(reply.slice(at + 1, at + 1 + n))
    at += 1 + n
  }
  return out.length === count ? out : undefined
}
