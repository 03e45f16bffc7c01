import { gatekeeperVitestConfig } from '@gatekeeper/tsconfig/vitest'

// Integration and system tests run the built CLI (dist/main.js) as a subprocess: build it once first.
export default gatekeeperVitestConfig({
  integration: { globalSetup: ['test/global-setup.ts'], testTimeout: 60_000 },
  system: { globalSetup: ['test/global-setup.ts'], testTimeout: 120_000 },
})
