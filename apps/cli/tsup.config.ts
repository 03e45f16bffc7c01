import { cpSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { deployableTsupConfig } from '@gatekeeper/tsconfig/tsup'
import { defineConfig } from 'tsup'

const migrations = fileURLToPath(new URL('../../packages/db/drizzle', import.meta.url))
const bundledMigrations = fileURLToPath(new URL('./dist/drizzle', import.meta.url))

// The SQL migrations travel next to the bundle (dist/drizzle), where `db migrate` and `start` look first.
// authz and console-api are bundled alongside (dist/authz.js, dist/console-api.js) so that
// `gatekeeper start` works from an installed package, with no checkout and no tsx.
// dist/run.js is the bundle's run() on its own, what main.js calls: the integration tests call it in
// their own process, skipping a node start-up per command while running the very code the binary runs.
export default defineConfig(
  deployableTsupConfig({
    entry: {
      main: 'src/main.ts',
      run: 'src/run.ts',
      authz: '../authz/src/main.ts',
      'console-api': '../console-api/src/main.ts',
    },
    async onSuccess() {
      cpSync(migrations, bundledMigrations, { recursive: true })
    },
  }),
)
