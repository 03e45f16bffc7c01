// What usage tracking adds to one decision, in isolation: UsageTracker.record() for an allowed API-key request
// (the per-client hour counter and the credential's last-used time), 5 million calls after a warm-up.
// `pnpm --filter @gatekeeper/authz exec tsx bench/usage-record-cost.ts`

import { UsageTracker } from '../src/usage/tracker'

const tracker = new UsageTracker({
  sink: { writeLastUsed: async () => {}, writeUsage: async () => {}, prune: async () => 0 },
  flushIntervalMs: 60_000,
  retentionDays: 90,
})
const decision = {
  allowed: true as const,
  status: 200 as const,
  reason: 'authenticated' as const,
  routeId: 'route',
  serviceName: 'service',
  clientId: 'c8f090b5-1b51-4caa-89a2-9c9a082bfbea',
  credentialId: '1ad83e2e-57d1-4a84-851c-04414f927137',
}
for (let i = 0; i < 1_000_000; i++) tracker.record(decision)
const n = 5_000_000
const started = performance.now()
for (let i = 0; i < n; i++) tracker.record(decision)
const ns = ((performance.now() - started) * 1e6) / n
process.stdout.write(`${ns.toFixed(0)} ns per record() (${n} calls)\n`)
