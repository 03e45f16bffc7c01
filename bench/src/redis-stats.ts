import { Redis } from 'ioredis'

// Redis CPU spent in scripts (the admission script runs as EVALSHA, EVAL after a restart), from INFO commandstats:
// per measured run, divided by its requests, it is what each decision costs Redis on this same 2-core box.
// Other clients of this Redis (other test suites) add to it: a small, noisy overcount.

export interface RedisStats {
  scriptMicros(): Promise<number>
  close(): void
}

export function parseScriptMicros(info: string): number {
  let total = 0
  for (const match of info.matchAll(/^cmdstat_(?:evalsha|eval):calls=\d+,usec=(\d+)/gm)) total += Number(match[1])
  return total
}

export function redisStats(url: string): RedisStats {
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1 })
  redis.on('error', () => undefined)
  return {
    scriptMicros: async () => parseScriptMicros(await redis.info('commandstats')),
    close: () => redis.disconnect(),
  }
}
