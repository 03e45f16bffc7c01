import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { AUTHZ_DIR } from './paths'

// authz as production runs it: the tsup bundle on plain node (no tsx loader thread, whose memory would count in
// the RSS figure). Built with authz's own tsup config into a directory of the benchmark's own inside
// apps/authz/node_modules, so npm dependencies resolve as they do next to dist/, and apps/authz/dist — which
// other test suites build and run — is never touched.

export const AUTHZ_BUNDLE_DIR = join(AUTHZ_DIR, 'node_modules/.cache/gatekeeper-bench')

export async function buildAuthzBundle(): Promise<string> {
  await promisify(execFile)('pnpm', ['exec', 'tsup', '--out-dir', AUTHZ_BUNDLE_DIR], { cwd: AUTHZ_DIR })
  return join(AUTHZ_BUNDLE_DIR, 'main.js')
}
