import { gatekeeperVitestConfig } from '@gatekeeper/tsconfig/vitest'

// promtool and kubectl run in the integration tier; the proof (system) starts Prometheus, authz and console-api and
// waits for scrapes: minutes, not seconds.
export default gatekeeperVitestConfig({
  integration: { testTimeout: 60_000 },
  system: { testTimeout: 240_000, hookTimeout: 180_000 },
})
