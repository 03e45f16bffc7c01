import { gatekeeperVitestConfig } from '@gatekeeper/tsconfig/vitest'

// Unit: property tests, the corpus through the engine, the static constant-time audit (pure, parallel).
// System: real authz, console-api, nginx, Postgres and Redis on loopback, one file at a time.
export default gatekeeperVitestConfig({
  unit: { testTimeout: 30_000 },
  system: { testTimeout: 60_000, hookTimeout: 120_000, teardownTimeout: 30_000 },
})
