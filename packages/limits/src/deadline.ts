export class RedisTimeoutError extends Error {
  constructor(ms: number) {
    super(`redis did not answer within ${ms} ms`)
    this.name = 'RedisTimeoutError'
  }
}

/**
 * Settles with `work`, or rejects with RedisTimeoutError after `ms`. The Redis command itself is not cancelled (it may
 * still run); a stalled connection is torn down by ioredis' socketTimeout, see redis-client.ts.
 *
 * In a busy process the timer fires late, in the timers phase of an event-loop turn, while the reply may already sit
 * unread in the socket: the poll phase of that same turn would deliver it. So the timeout is declared from
 * setImmediate (after that poll phase), and what it measures is Redis not having answered, not the event loop having
 * been busy. Without this, authz saturated by a load test timed out most admission calls at the 5 ms default:
 * a fail-open rate limit or a fail-closed nonce for a reply that had arrived in time.
 */
export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      setImmediate(() => reject(new RedisTimeoutError(ms)))
    }, ms)
    work.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (err: unknown) => {
        clearTimeout(timer)
        reject(err)
      },
    )
  })
}
