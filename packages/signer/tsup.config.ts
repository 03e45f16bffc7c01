import { defineConfig } from 'tsup'

// The published package: one ES module and its declarations, no dependencies (only node:crypto).
// In the workspace the TypeScript sources are used directly (package.json `exports`); `pnpm pack`
// swaps in the built files (`publishConfig`).
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  platform: 'node',
  target: 'node18',
  dts: true,
  clean: true,
  sourcemap: false,
})
