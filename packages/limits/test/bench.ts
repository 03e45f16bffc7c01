// Throughput of admit() against a real Redis: `pnpm exec tsx packages/limits/test/bench.ts` from the repo root.
// Env: BENCH_TOTAL (default 100000), BENCH_CONCURRENCY (default 128), BENCH_TIMEOUT_MS (default 5),
// BENCH_PIPELINING=0 to turn ioredis auto-pipelining off, BENCH_NONCE=0 to skip nonces.

import { deleteKeys, REDIS_URL, uniquePrefix } from '@gatekeeper/testkit/redis'
import { createMemoryAdmissionStore } from '../src/memory-store'
import { createTunedRedisAdmissionStore } from '../src/redis-store'
import type { AdmissionStore, AdmitRequest } from '../src/types'

const total = Number(process.env.BENCH_TOTAL ?? 100_000)
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 128)
const timeoutMs = Number(process.env.BENCH_TIMEOUT_MS ?? 5)
const pipelining = process.env.BENCH_PIPELINING !== '0'
const withNonce = process.env.BENCH_NONCE !== '0'

async function drive(store: AdmissionStore, label: string): Promise<void> {
  const latencies = new Float64Array(total)
  const outcomes = new Map<string, number>()
  let next = 0
  const worker = async () => {
    while (next < total) {
      const i = next++
      const req: AdmitRequest = {
        clientId: `client-${i % 1000}`,
        limits: { perMinute: 1_000_000, perDay: 10_000_000 },
        nonce: withNonce ? { value: `nonce-${i}`, ttlSeconds: 600 } : undefined,
      }
      const t = performance.now()
      const r = await store.admit(req)
      latencies[i] = performance.now() - t
      const key = r.outcome === 'allowed' && r.failedOpen ? 'failed_open' : r.outcome
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1)
    }
  }
  const start = performance.now()
  await Promise.all(Array.from({ length: concurrency }, worker))
  const seconds = (performance.now() - start) / 1000
  const sorted = Array.from(latencies).sort((a, b) => a - b)
  const pct = (p: number) => (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0).toFixed(2)
  console.log(
    `${label}: ${Math.round(total / seconds)} admits/s (${total} in ${seconds.toFixed(2)} s, concurrency ${concurrency}); ` +
      `latency ms p50 ${pct(0.5)} p99 ${pct(0.99)} max ${pct(1)}; outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`,
  )
}

const prefix = uniquePrefix()
const redis = createTunedRedisAdmissionStore(
  { url: REDIS_URL, keyPrefix: prefix, timeoutMs, rateLimitFailureMode: 'open', nonceFailureMode: 'closed' },
  { redis: { enableAutoPipelining: pipelining } },
)
await redis.ready()
await drive(
  redis,
  `redis (autopipelining ${pipelining ? 'on' : 'off'}, nonce ${withNonce ? 'on' : 'off'}, timeout ${timeoutMs} ms)`,
)
await redis.close()
await deleteKeys(prefix)

const memory = createMemoryAdmissionStore()
await drive(memory, 'memory')
await memory.close()
