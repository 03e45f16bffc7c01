import { gatekeeperVitestConfig } from '@gatekeeper/tsconfig/vitest'

// Integration only: every file starts real processes (authz, nginx, an echo upstream) on loopback ports, one file
// at a time. Hooks get room for starting them; each test is bounded.
export default gatekeeperVitestConfig({
  integration: { testTimeout: 30_000, hookTimeout: 90_000, teardownTimeout: 20_000 },
})
