import { gatekeeperVitestConfig } from '@gatekeeper/tsconfig/vitest'

// Integration and system tests run the built CLI (dist/): build it once first. Most call its run() in their
// own process (test/support/cli.ts); Node loads the bundle as it is, like the binary does, not through vite.
const builtCli = { globalSetup: ['test/global-setup.ts'], server: { deps: { external: [/\/apps\/cli\/dist\//] } } }

export default gatekeeperVitestConfig({
  integration: { ...builtCli, testTimeout: 60_000 },
  system: { ...builtCli, testTimeout: 120_000 },
})
