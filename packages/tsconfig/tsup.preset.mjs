// What every deployable's tsup config shares. Deployables run with plain `node dist/main.js`: workspace packages
// (TypeScript source) are bundled in; npm dependencies stay external and are installed next to the bundle.

export function deployableTsupConfig(overrides = {}) {
  return {
    entry: ['src/main.ts'],
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    clean: true,
    sourcemap: true,
    noExternal: [/^@gatekeeper\//],
    ...overrides,
  }
}
