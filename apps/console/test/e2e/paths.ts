import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const CONSOLE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const REPO_DIR = join(CONSOLE_DIR, '..', '..')
export const CONSOLE_API_DIR = join(REPO_DIR, 'apps', 'console-api')
export const CONSOLE_API_MAIN = join(CONSOLE_API_DIR, 'src', 'main.ts')
export const AUTHZ_DIR = join(REPO_DIR, 'apps', 'authz')
export const AUTHZ_MAIN = join(AUTHZ_DIR, 'src', 'main.ts')
export const FAKE_AEGIS = join(CONSOLE_API_DIR, 'test', 'fake-aegis.ts')
export const CHROMIUM = '/usr/bin/chromium'
export const ARTIFACTS_DIR = join(CONSOLE_DIR, 'test-artifacts', 'e2e')
/** Screenshots docs/console.md shows (committed, rewritten by every run of the end-to-end test). */
export const DOCS_IMAGES_DIR = join(REPO_DIR, 'docs', 'images')

/** Why the end-to-end test cannot run here, or null when everything it starts is present. */
export function missingForE2e(): string | null {
  const missing = [
    [CHROMIUM, "Debian's chromium (listed in .ci/apt-packages)"],
    [CONSOLE_API_MAIN, 'apps/console-api/src/main.ts'],
    [AUTHZ_MAIN, 'apps/authz/src/main.ts'],
    [FAKE_AEGIS, 'apps/console-api/test/fake-aegis.ts'],
  ]
    .filter(([path]) => path === undefined || !existsSync(path))
    .map(([, what]) => what)
  return missing.length === 0 ? null : `missing: ${missing.join(', ')}`
}
