// Redis CPU per admit of the limits script, measured by Redis itself (INFO commandstats): run by hand, on an idle
// Redis, to compare script versions. `pnpm exec tsx test/script-cost.ts [admits] [buckets-filled]`
import { Redis } from 'ioredis'
import { ADMIT_LUA } from '../src/admit-script'

const admits = Number(process.argv[2] ?? 20000)
const filled = Number(process.argv[3] ?? 30)
const redis = new Redis({ host: '127.0.0.1', port: 6379, db: 15 })
await redis.flushdb()
redis.defineCommand('admit', { lua: ADMIT_LUA })
const admit = (redis as unknown as { admit(...a: (string | number)[]): Promise<unknown> }).admit.bind(redis)
const keys = ['bench:rl:{c}:minute', 'bench:rl:{c}:day']
const limits = [1e9, 60_000, 1000, 1e9, 86_400_000, 1_440_000]
// Fill `filled` one-second buckets of the minute window with the caller clock, then admit at the last one.
const start = 1_700_000_000_000
for (let b = 0; b < filled; b++) await admit(2, ...keys, 0, '1', start + b * 1000, ...limits)
const now = start + (filled - 1) * 1000 + 500
await redis.config('RESETSTAT')
let pending: Promise<unknown>[] = []
for (let i = 0; i < admits; i++) {
  pending.push(admit(2, ...keys, 0, '1', now, ...limits))
  if (pending.length === 50) {
    await Promise.all(pending)
    pending = []
  }
}
await Promise.all(pending)
const stats = await redis.info('commandstats')
const line = stats.split('\n').find((l) => l.startsWith('cmdstat_evalsha'))
console.log(`buckets filled ${filled}: ${line?.trim()}`)
await redis.flushdb()
redis.disconnect()
