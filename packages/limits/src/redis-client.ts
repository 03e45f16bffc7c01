import { Redis, type RedisOptions, type Result } from 'ioredis'
import { ADMIT_LUA } from './admit-script'

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** Defined by createAdmissionClient; first argument is the number of keys. */
    gatekeeperAdmit(numKeys: number, ...keysAndArgs: (string | number)[]): Result<unknown, Context>
  }
}

export type ClientEvents = {
  onUp(): void
  onDown(): void
  onError(err: Error): void
}

/** Reconnect quickly at first, then at most once a second, forever. */
export function reconnectDelay(attempt: number): number {
  return Math.min(25 * 2 ** Math.min(attempt, 6), 1000)
}

/**
 * ioredis tuned for a latency-bounded hot path:
 * - enableOfflineQueue false + maxRetriesPerRequest 0: while disconnected a command fails at once instead of waiting
 *   in a queue, so a stopped Redis costs microseconds, not timeoutMs;
 * - socketTimeout: a connection that leaves commands unanswered for 1 s (a hung or partitioned server) is destroyed
 *   and re-established instead of piling up unanswered commands; our per-call deadline bounds each decision meanwhile;
 * - enableAutoPipelining: concurrent decisions in one event-loop tick share one write and round trip;
 * - defineCommand: EVALSHA, falling back to EVAL on NOSCRIPT (after a restart or SCRIPT FLUSH) by itself.
 */
export function createAdmissionClient(url: string, events: ClientEvents, extra?: RedisOptions): Redis {
  const redis = new Redis(url, {
    enableAutoPipelining: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    socketTimeout: 1000,
    retryStrategy: reconnectDelay,
    ...extra,
  })
  redis.defineCommand('gatekeeperAdmit', { lua: ADMIT_LUA })
  redis.on('ready', events.onUp)
  redis.on('close', events.onDown)
  redis.on('error', events.onError)
  return redis
}
