// The Python snippet in docs/hmac-signing.md (committed as docs/examples/sign_v2.py) must produce, byte for byte,
// what the shared v2 vectors say, run by the machine's own python3. The docs must embed the file unchanged.

import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import vectors from './fixtures/hmac-v2-vectors.json'

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
const scriptDir = `${repoRoot}docs/examples`
const script = readFileSync(`${scriptDir}/sign_v2.py`, 'utf8')

// Reads the vectors on stdin, signs each with sign_v2, prints the results as JSON.
const HARNESS = `
import base64, json, sys
sys.path.insert(0, sys.argv[1])
from sign_v2 import sign_v2
out = []
for v in json.load(sys.stdin):
    r = sign_v2(v["clientId"], v["secret"], v["method"], v["url"], base64.b64decode(v["bodyBase64"]), v["timestamp"], v["nonce"])
    out.append({k: r[k] for k in ("authorization", "content_digest", "signature", "canonical", "headers")})
json.dump(out, sys.stdout, ensure_ascii=False)
`

type PythonResult = {
  authorization: string
  content_digest: string
  signature: string
  canonical: string
  headers: Record<string, string>
}

function runPython(): PythonResult[] {
  const run = spawnSync('python3', ['-c', HARNESS, scriptDir], {
    input: JSON.stringify(vectors.vectors),
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8' },
  })
  if (run.error !== undefined)
    throw new Error(`python3 could not be run (it is required by this test): ${run.error.message}`)
  if (run.status !== 0) throw new Error(`python3 failed:\n${run.stderr}`)
  return JSON.parse(run.stdout) as PythonResult[]
}

describe('the Python v2 snippet', () => {
  const results = runPython()

  it('signed every vector', () => {
    expect(results).toHaveLength(vectors.vectors.length)
  })

  describe.each(vectors.vectors.map((v, i) => ({ ...v, index: i })))('$name', (v) => {
    it('matches the vector byte for byte', () => {
      expect(results[v.index]).toEqual({
        authorization: v.expected.authorization,
        content_digest: v.expected.contentDigest,
        signature: v.expected.signature,
        canonical: v.expected.canonical,
        headers: { Authorization: v.expected.authorization, 'Content-Digest': v.expected.contentDigest },
      })
    })
  })

  it('is embedded unchanged in docs/hmac-signing.md', () => {
    const doc = readFileSync(`${repoRoot}docs/hmac-signing.md`, 'utf8')
    expect(doc).toContain(`\`\`\`python\n${script}\`\`\``)
  })

  it('uses the standard library only', () => {
    const imports = [...script.matchAll(/^(?:from (\S+) import|import (\S+))/gm)].map((m) => m[1] ?? m[2])
    expect(imports.sort()).toEqual(['base64', 'hashlib', 'hmac', 'time', 'urllib.parse', 'uuid'])
  })
})
