import { Cluster, Redis, type RedisOptions, type Result } from 'ioredis'
import { ADMIT_LUA } from './admit-script'
import { parseRedisUrl } from './redis-target'

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
  redis.defineCommand('gatekeeperAdmit', { lua: ADMIT_LUA })
  redis.on('ready', events.onUp)
  redis.on('close', events.onDown)
  redis.on('error', events.onError)
  return redis
}
