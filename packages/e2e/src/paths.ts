import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root (this file is packages/e2e/src/paths.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
export const NGINX_DIR = resolve(REPO_ROOT, 'nginx')
export const AUTHZ_DIR = resolve(REPO_ROOT, 'apps/authz')
export const AUTHZ_MAIN = resolve(AUTHZ_DIR, 'src/main.ts')
