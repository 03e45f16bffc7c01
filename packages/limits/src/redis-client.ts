import { Cluster, Redis, type RedisOptions, type Result } from 'ioredis'
import { defineAdmitBatchCommands } from './admit-batch'
import { ADMIT_LUA } from './admit-script'
import { defineNonceCommands } from './nonce-batch'
import { parseRedisUrl } from './redis-target'

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** Defined by createAdmissionClient: the admission script with 1, 2 or 3 keys, keys first then arguments. */
    gatekeeperAdmit1(...keysAndArgs: (string | number)[]): Result<unknown, Context>
    gatekeeperAdmit2(...keysAndArgs: (string | number)[]): Result<unknown, Context>
    gatekeeperAdmit3(...keysAndArgs: (string | number)[]): Result<unknown, Context>
  }
}

export type ClientEvents = {
  onUp(): void
  onDown(): void
  onError(err: Error): void
}

/** Reconnect quickly at first, then at most once a second, forever. */
function reconnectDelay(attempt: number): number {
  return Math.min(25 * 2 ** Math.min(attempt, 6), 1000)
}

/** A standalone/Sentinel-managed server (`Redis`) or a Redis Cluster (`Cluster`): both run the same commands. */
export type AdmissionClient = Redis | Cluster

/**
 * ioredis tuned for a latency-bounded hot path, for every URL form parseRedisUrl accepts (one server, Cluster,
 * Sentinel), so all callers share one connection policy:
 * - enableOfflineQueue false + maxRetriesPerRequest 0: while disconnected a command fails at once instead of waiting
 *   in a queue, so a stopped Redis costs microseconds, not timeoutMs;
 * - socketTimeout: a connection that leaves commands unanswered for 1 s (a hung or partitioned server) is destroyed
 *   and re-established instead of piling up unanswered commands; our per-call deadline bounds each decision meanwhile;
 * - enableAutoPipelining: concurrent decisions in one event-loop tick share one write and round trip (per node on a
 *   cluster);
 * - defineCommand: EVALSHA, falling back to EVAL on NOSCRIPT (after a restart, SCRIPT FLUSH, or on a cluster node or
 *   promoted replica that has not seen the script yet) by itself;
 * - Sentinel: failoverDetector subscribes to +switch-master, so a failover is followed as soon as Sentinel announces
 *   it instead of when the old master's connection finally errors.
 * Throws on a malformed cluster/sentinel URL (callers validate at start-up with parseRedisUrl).
 */
export function createAdmissionClient(url: string, events: ClientEvents, extra?: RedisOptions): AdmissionClient {
  const target = parseRedisUrl(url)
  const perConnection: RedisOptions = {
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    socketTimeout: 1000,
  }
  let redis: AdmissionClient
  if (target.kind === 'cluster') {
    const { enableAutoPipelining, ...nodeExtra } = extra ?? {}
    redis = new Cluster(target.nodes, {
      enableAutoPipelining: enableAutoPipelining ?? true,
      enableOfflineQueue: false,
      clusterRetryStrategy: reconnectDelay,
      // A master that dies is replaced by its replica within the cluster's node timeout; refresh slots quickly so
      // MOVED/connection errors stop as soon as the cluster has promoted it.
      retryDelayOnFailover: 50,
      retryDelayOnClusterDown: 50,
      slotsRefreshTimeout: 1000,
      redisOptions: {
        ...perConnection,
        username: target.username,
        password: target.password,
        ...(target.tls ? { tls: {} } : {}),
        ...nodeExtra,
      },
    })
  } else if (target.kind === 'sentinel') {
    redis = new Redis({
      sentinels: target.sentinels,
      name: target.master,
      db: target.db,
      username: target.username,
      password: target.password,
      sentinelPassword: target.sentinelPassword,
      failoverDetector: true,
      sentinelRetryStrategy: reconnectDelay,
      enableAutoPipelining: true,
      enableOfflineQueue: false,
      retryStrategy: reconnectDelay,
      ...perConnection,
      ...extra,
    })
  } else {
    redis = new Redis(target.url, {
      enableAutoPipelining: true,
      enableOfflineQueue: false,
      retryStrategy: reconnectDelay,
      ...perConnection,
      ...extra,
    })
  }
  // One command per key count instead of one with a leading numKeys argument: ioredis' cluster auto-pipelining
  // routes a command by its first argument, which must therefore be a key (a leading "2" would hash to an
  // arbitrary slot and fail the pipeline). The Lua text is the same, so every node caches one script (one SHA).
  for (const n of [1, 2, 3] as const) redis.defineCommand(`gatekeeperAdmit${n}`, { lua: ADMIT_LUA, numberOfKeys: n })
  defineNonceCommands(redis)
  defineAdmitBatchCommands(redis)
  redis.on('ready', events.onUp)
  redis.on('close', events.onDown)
  redis.on('error', events.onError)
  return redis
}

/** Runs the admission script (EVALSHA, EVAL on NOSCRIPT) on the node that owns `keys` (all in one hash slot). */
export function runAdmitScript(
  redis: AdmissionClient,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  switch (keys.length) {
    case 1:
      return redis.gatekeeperAdmit1(...keys, ...args)
    case 2:
      return redis.gatekeeperAdmit2(...keys, ...args)
    case 3:
      return redis.gatekeeperAdmit3(...keys, ...args)
    default:
      return Promise.reject(new Error(`admission script takes 1 to 3 keys, got ${keys.length}`))
  }
}
