import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

// Where things are in the checkout, for suites that start an app from its sources or read a shipped file.

/** The repository root (this file is packages/testkit/src/paths.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

/** An absolute path inside the checkout: `repoPath('nginx', 'protected-api.conf')`. */
export function repoPath(...parts: string[]): string {
  return resolve(REPO_ROOT, ...parts)
}

export const NGINX_DIR = repoPath('nginx')
export const AUTHZ_DIR = repoPath('apps/authz')
export const AUTHZ_MAIN = resolve(AUTHZ_DIR, 'src/main.ts')
export const CONSOLE_API_DIR = repoPath('apps/console-api')
export const CONSOLE_API_MAIN = resolve(CONSOLE_API_DIR, 'src/main.ts')
export const CLI_DIR = repoPath('apps/cli')
export const CLI_MAIN = resolve(CLI_DIR, 'src/main.ts')
/** The committed SQL migrations (what `runMigrations` applies). */
export const MIGRATIONS_DIR = repoPath('packages/db/drizzle')
