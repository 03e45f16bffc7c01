// Redis CPU per admission, one script call each against the admissions of a turn batched (admit-batch.ts), measured
// by Redis itself (INFO commandstats) on a private redis-server: run by hand to compare.
// `pnpm exec tsx test/batch-cost.ts [admissions] [concurrent]`
import { PrivateRedis } from '@gatekeeper/testkit/redis'
import { createAdmissionClient, runAdmitScript } from '../src/redis-client'
import { createTunedRedisAdmissionStore } from '../src/redis-store'

const admissions = Number(process.argv[2] ?? 20000)
const concurrent = Number(process.argv[3] ?? 32)
const redis = await PrivateRedis.start()
const limits = { perMinute: 1e9, perDay: 1e9 }

async function scriptMicros(): Promise<number> {
  const info = await redis.cli('info', 'commandstats')
  let usec = 0
  for (const m of info.matchAll(/^cmdstat_(evalsha|eval):calls=\d+,usec=(\d+)/gm)) usec += Number(m[2])
  return usec
}

async function drive(admit: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < concurrent; i++) await admit(i) // load the script
  await redis.cli('config', 'resetstat')
  for (let i = 0; i < admissions; i += concurrent) {
    await Promise.all(Array.from({ length: concurrent }, (_, j) => admit(i + j)))
  }
  return (await scriptMicros()) / admissions
}

try {
  // One script call per admission: the admission script as each decision sent it before batching.
  const client = createAdmissionClient(redis.url, { onUp() {}, onDown() {}, onError() {} })
  await new Promise((ready) => client.once('ready', ready))
  const keys = ['lone:rl:{c}:minute', 'lone:rl:{c}:day']
  const args = [0, '1', 0, 1e9, 60_000, 1000, 1e9, 86_400_000, 1_440_000]
  const lone = await drive(() => runAdmitScript(client, keys, args))
  client.disconnect()
  const store = createTunedRedisAdmissionStore(
    {
      url: redis.url,
      keyPrefix: 'batched:',
      timeoutMs: 5000,
      rateLimitFailureMode: 'closed',
      nonceFailureMode: 'closed',
    },
    {},
  )
  await store.ready()
  const batched = await drive(() => store.admit({ clientId: 'c', limits }))
  await store.close()
  console.log(
    `${admissions} admissions (minute + day), ${concurrent} at a time: Redis script time per admission ` +
      `${lone.toFixed(2)} us one call each, ${batched.toFixed(2)} us batched`,
  )
} finally {
  await redis.stop()
}
