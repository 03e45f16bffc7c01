import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { MIGRATIONS_DIR } from '@gatekeeper/db/migrate'

/**
 * The committed migrations. The build copies packages/db/drizzle next to the bundle (dist/drizzle);
 * run from source, this module sits in src/db and the package's own folder is used.
 */
export function migrationsFolder(): string {
  const here = path.dirname(fileURLToPath(import.meta.url))
  for (const candidate of [path.join(here, 'drizzle'), path.join(here, '..', 'drizzle')]) {
    if (existsSync(path.join(candidate, 'meta', '_journal.json'))) return candidate
  }
  return MIGRATIONS_DIR
}
