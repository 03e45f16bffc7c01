import { gatekeeperVitestConfig } from '@gatekeeper/tsconfig/vitest'

// System only: every file starts real processes (authz, console-api, nginx, an echo upstream) on loopback ports, one
// file at a time. Hooks get room for starting them on a loaded CI machine; each test is bounded.
export default gatekeeperVitestConfig({
  system: { testTimeout: 30_000, hookTimeout: 180_000, teardownTimeout: 20_000 },
})
