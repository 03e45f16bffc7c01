/** The tsup options of a deployable (structurally tsup's own `Options`, without a dependency on tsup here). */
export interface DeployableTsupOptions {
  entry: string[] | Record<string, string>
  format: 'esm'[]
  platform: 'node'
  target: 'node20'
  clean: boolean
  sourcemap: boolean
  noExternal: RegExp[]
  onSuccess?: () => Promise<void>
}

export function deployableTsupConfig(overrides?: Partial<DeployableTsupOptions>): DeployableTsupOptions
