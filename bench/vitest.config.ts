import { gatekeeperVitestConfig } from '@gatekeeper/tsconfig/vitest'

// The smoke test starts real processes (authz, nginx, the baseline servers) on loopback ports; give hooks room.
export default gatekeeperVitestConfig({
  integration: { testTimeout: 120_000, hookTimeout: 120_000, teardownTimeout: 30_000 },
})
