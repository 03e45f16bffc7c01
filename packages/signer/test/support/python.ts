import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import vectors from '../vectors/hmac-v2.json'

// The shared v2 vectors (packages/signer/test/vectors/hmac-v2.json), signed by a Python signer.

export { vectors }
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
export const PYTHON_SIGNER_DIR = `${REPO_ROOT}packages/signer-python`

// Reads the vectors on stdin, signs each with gatekeeper_signer.sign_v2, prints the results and where the
// module was loaded from as JSON. argv[1], when given, is put first on sys.path (the checkout's copy).
const HARNESS = `
import base64, json, sys
if len(sys.argv) > 1:
    sys.path.insert(0, sys.argv[1])
import gatekeeper_signer
out = []
for v in json.load(sys.stdin):
    r = gatekeeper_signer.sign_v2(v["clientId"], v["secret"], v["method"], v["url"], base64.b64decode(v["bodyBase64"]), v["timestamp"], v["nonce"])
    out.append({k: r[k] for k in ("authorization", "content_digest", "signature", "canonical", "headers")})
json.dump({"module": gatekeeper_signer.__file__, "results": out}, sys.stdout, ensure_ascii=False)
`

export type PythonResult = {
  authorization: string
  content_digest: string
  signature: string
  canonical: string
  headers: Record<string, string>
}

export function signWithPython(
  python: string,
  opts: { moduleDir?: string; cwd?: string } = {},
): { module: string; results: PythonResult[] } {
  const run = spawnSync(python, ['-c', HARNESS, ...(opts.moduleDir !== undefined ? [opts.moduleDir] : [])], {
    input: JSON.stringify(vectors.vectors),
    encoding: 'utf8',
    cwd: opts.cwd,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8' },
  })
  if (run.error !== undefined)
    throw new Error(`${python} could not be run (it is required by this test): ${run.error.message}`)
  if (run.status !== 0) throw new Error(`${python} failed:\n${run.stderr}`)
  return JSON.parse(run.stdout) as { module: string; results: PythonResult[] }
}

/** What a vector says the signer must return, in the Python signer's shape. */
export function expectedPython(v: (typeof vectors.vectors)[number]): PythonResult {
  return {
    authorization: v.expected.authorization,
    content_digest: v.expected.contentDigest,
    signature: v.expected.signature,
    canonical: v.expected.canonical,
    headers: { Authorization: v.expected.authorization, 'Content-Digest': v.expected.contentDigest },
  }
}
