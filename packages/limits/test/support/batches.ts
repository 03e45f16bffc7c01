import { PrivateRedis } from '@gatekeeper/testkit/redis'
import { afterAll, beforeAll } from 'vitest'
import type { AdmitResult } from '../../src/types'

/** A redis-server of the file's own (so its command statistics count only its tests), stopped after them. */
export function usePrivateRedis(): () => PrivateRedis {
  let redis: PrivateRedis | undefined
  beforeAll(async () => {
    redis = await PrivateRedis.start()
  })
  afterAll(async () => {
    await redis?.stop()
  })
  return () => {
    if (redis === undefined) throw new Error('the private Redis is not running')
    return redis
  }
}

/** Calls per command name since the last CONFIG RESETSTAT (scripts' own commands included). */
export async function commandCalls(redis: PrivateRedis): Promise<Record<string, number>> {
  const info = await redis.cli('info', 'commandstats')
  const calls: Record<string, number> = {}
  for (const m of info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)) calls[m[1] ?? ''] = Number(m[2])
  return calls
}

/** How many results had each outcome. */
export function outcomes(results: AdmitResult[]): Record<string, number> {
  const n: Record<string, number> = {}
  for (const r of results) n[r.outcome] = (n[r.outcome] ?? 0) + 1
  return n
}
