import { gatekeeperVitestConfig } from '@gatekeeper/tsconfig/vitest'

// Integration only: every file starts real processes (authz, console-api, nginx, an echo upstream) on loopback
// ports, one file at a time. Hooks get room for starting them on a loaded CI machine (turbo runs every package's
// suites at once); each test is bounded.
export default gatekeeperVitestConfig({
  integration: { testTimeout: 30_000, hookTimeout: 180_000, teardownTimeout: 20_000 },
})
