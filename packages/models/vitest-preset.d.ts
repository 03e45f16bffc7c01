// The shared preset is plain .mjs without types; this keeps `tsc --noEmit` (which includes *.ts here)
// strict. Better placed beside the preset in packages/tsconfig; local until that package ships one.
declare module '@gatekeeper/tsconfig/vitest' {
  import type { ViteUserConfig } from 'vitest/config'
  export function gatekeeperVitestConfig(overrides?: {
    unit?: Record<string, unknown>
    integration?: Record<string, unknown>
  }): ViteUserConfig
}
