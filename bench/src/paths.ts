import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root (this file is bench/src/paths.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const BENCH_SRC = resolve(REPO_ROOT, 'bench/src')
export const RESULTS_DIR = resolve(REPO_ROOT, 'bench/results')
export const AUTHZ_DIR = resolve(REPO_ROOT, 'apps/authz')
export const AUTHZ_MAIN = resolve(AUTHZ_DIR, 'src/main.ts')
export const BASELINE_MAIN = resolve(BENCH_SRC, 'baseline-server.ts')
export const HMAC_LUA = resolve(BENCH_SRC, 'wrk/presigned.lua')
