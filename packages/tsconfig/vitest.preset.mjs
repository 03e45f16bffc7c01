// The test tiers, one layout rule for every package (CONTRIBUTING.md, "Test tiers"):
// - unit         src/**/*.test.ts(x)       pure: no processes, no servers, no network; files run in parallel
// - integration  test/**/*.int.test.ts     real PostgreSQL and Redis, or a local program (python3, openssl, promtool)
// - system       test/**/*.sys.test.ts     whole stacks: nginx, Prometheus, Chromium, fault injection, clusters
// Integration and system files run one at a time within a package (they share servers and ports with each other).
import { defineConfig } from 'vitest/config'

export function gatekeeperVitestConfig(overrides = {}) {
  return defineConfig({
    test: {
      projects: [
        {
          test: {
            name: 'unit',
            include: ['src/**/*.test.ts'],
            exclude: ['**/*.int.test.ts', '**/*.sys.test.ts', '**/node_modules/**', '**/dist/**'],
            testTimeout: 10_000,
            ...overrides.unit,
          },
        },
        {
          test: {
            name: 'integration',
            include: ['test/**/*.int.test.ts'],
            fileParallelism: false,
            testTimeout: 30_000,
            hookTimeout: 60_000,
            ...overrides.integration,
          },
        },
        {
          test: {
            name: 'system',
            include: ['test/**/*.sys.test.ts'],
            fileParallelism: false,
            testTimeout: 60_000,
            hookTimeout: 180_000,
            teardownTimeout: 30_000,
            ...overrides.system,
          },
        },
      ],
    },
  })
}
