import { gatekeeperVitestConfig } from '@gatekeeper/tsconfig/vitest'

// The smoke test (system) starts real processes (authz, nginx, the baseline servers) on loopback ports.
export default gatekeeperVitestConfig({
  system: { testTimeout: 120_000, hookTimeout: 120_000, teardownTimeout: 30_000 },
})
