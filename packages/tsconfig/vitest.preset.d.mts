import type { ViteUserConfig } from 'vitest/config'

export function gatekeeperVitestConfig(overrides?: {
  unit?: Record<string, unknown>
  integration?: Record<string, unknown>
}): ViteUserConfig
