import { repoPath } from '@gatekeeper/testkit/paths'

export { AUTHZ_DIR, AUTHZ_MAIN, REPO_ROOT } from '@gatekeeper/testkit/paths'
export const RESULTS_DIR = repoPath('bench/results')
export const BASELINE_MAIN = repoPath('bench/src/baseline-server.ts')
export const HMAC_LUA = repoPath('bench/src/wrk/presigned.lua')
