import { gatekeeperVitestConfig } from '@gatekeeper/tsconfig/vitest'

// The proof starts Prometheus, authz and console-api and waits for scrapes: minutes, not seconds.
export default gatekeeperVitestConfig({
  integration: { testTimeout: 240_000, hookTimeout: 180_000 },
})
