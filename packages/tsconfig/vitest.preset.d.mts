import type { ViteUserConfig } from 'vitest/config'

export function gatekeeperVitestConfig(overrides?: {
  unit?: Record<string, unknown>
  integration?: Record<string, unknown>
  system?: Record<string, unknown>
}): ViteUserConfig
