// Shared vitest layout: `*.test.ts` are unit tests (pure, parallel); `*.int.test.ts` are
// integration tests against real Postgres/Redis (files run one at a time: they share servers).
import { defineConfig } from 'vitest/config'

export function gatekeeperVitestConfig(overrides = {}) {
  return defineConfig({
    test: {
      projects: [
        {
          test: {
            name: 'unit',
            include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
            exclude: ['**/*.int.test.ts', '**/node_modules/**', '**/dist/**'],
            testTimeout: 10_000,
            ...overrides.unit,
          },
        },
        {
          test: {
            name: 'integration',
            include: ['src/**/*.int.test.ts', 'test/**/*.int.test.ts'],
            fileParallelism: false,
            testTimeout: 30_000,
            hookTimeout: 60_000,
            ...overrides.integration,
          },
        },
      ],
    },
  })
}
