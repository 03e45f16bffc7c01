import { gatekeeperVitestConfig } from '@gatekeeper/tsconfig/vitest'

// Component tests (src/**/*.test.tsx) render into happy-dom; the system test (test/e2e.sys.test.ts) runs in node and
// drives a real Chromium.
export default gatekeeperVitestConfig({
  unit: {
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'happy-dom',
    setupFiles: ['./test/setup.ts'],
    // Rendering Mantine in happy-dom takes a few seconds per test on a busy 2-core machine.
    testTimeout: 30_000,
  },
  system: {
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
})
