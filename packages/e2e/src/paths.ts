import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root (this file is packages/e2e/src/paths.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
export const NGINX_DIR = resolve(REPO_ROOT, 'nginx')
export const AUTHZ_DIR = resolve(REPO_ROOT, 'apps/authz')
export const AUTHZ_MAIN = resolve(AUTHZ_DIR, 'src/main.ts')
export const CONSOLE_API_DIR = resolve(REPO_ROOT, 'apps/console-api')
export const CONSOLE_API_MAIN = resolve(CONSOLE_API_DIR, 'src/main.ts')
export const CLI_DIR = resolve(REPO_ROOT, 'apps/cli')
export const CLI_MAIN = resolve(CLI_DIR, 'src/main.ts')
