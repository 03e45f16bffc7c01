import { existsSync } from 'node:fs'
import { AUTHZ_MAIN, CONSOLE_API_MAIN, repoPath } from '@gatekeeper/testkit/paths'

export const CONSOLE_DIR = repoPath('apps/console')
export const CHROMIUM = '/usr/bin/chromium'
export const ARTIFACTS_DIR = repoPath('apps/console/test-artifacts/e2e')
/** Screenshots docs/console.md shows (committed, rewritten by every run of the end-to-end test). */
export const DOCS_IMAGES_DIR = repoPath('docs/images')

/** Why the end-to-end test cannot run here, or null when everything it starts is present. */
export function missingForE2e(): string | null {
  const missing = [
    [CHROMIUM, "Debian's chromium (listed in .ci/apt-packages)"],
    [CONSOLE_API_MAIN, 'apps/console-api/src/main.ts'],
    [AUTHZ_MAIN, 'apps/authz/src/main.ts'],
  ]
    .filter(([path]) => path === undefined || !existsSync(path))
    .map(([, what]) => what)
  return missing.length === 0 ? null : `missing: ${missing.join(', ')}`
}
