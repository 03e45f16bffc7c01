// The Python signer (packages/signer-python/gatekeeper_signer.py, embedded in docs/hmac-signing.md) must produce,
// byte for byte, what the shared v2 vectors say, run by the machine's own python3 straight from the checkout.
// python-package.int.test.ts installs it as a package and checks the same vectors.

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { expectedPython, PYTHON_SIGNER_DIR, REPO_ROOT, signWithPython, vectors } from './support/python'

const script = readFileSync(`${PYTHON_SIGNER_DIR}/gatekeeper_signer.py`, 'utf8')

describe('the Python v2 signer', () => {
  const { results } = signWithPython('python3', { moduleDir: PYTHON_SIGNER_DIR })

  it('signed every vector', () => {
    expect(results).toHaveLength(vectors.vectors.length)
  })

  describe.each(vectors.vectors.map((v, i) => ({ ...v, index: i })))('$name', (v) => {
    it('matches the vector byte for byte', () => {
      expect(results[v.index]).toEqual(expectedPython(v))
    })
  })

  it('is embedded unchanged in docs/hmac-signing.md', () => {
    const doc = readFileSync(`${REPO_ROOT}docs/hmac-signing.md`, 'utf8')
    expect(doc).toContain(`\`\`\`python\n${script}\`\`\``)
  })

  it('uses the standard library only', () => {
    const imports = [...script.matchAll(/^(?:from (\S+) import|import (\S+))/gm)].map((m) => m[1] ?? m[2])
    expect(imports.sort()).toEqual(['base64', 'hashlib', 'hmac', 'time', 'urllib.parse', 'uuid'])
  })
})
