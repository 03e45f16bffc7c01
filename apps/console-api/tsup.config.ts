import { deployableTsupConfig } from '@gatekeeper/tsconfig/tsup'
import { defineConfig } from 'tsup'

export default defineConfig(deployableTsupConfig())
