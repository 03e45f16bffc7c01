// The Python signer as a user installs it: packages/signer-python into a fresh virtual environment, offline
// (no index; the build backend is the system's setuptools), then imported from outside the checkout and run
// over the shared v2 vectors.

import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { expectedPython, PYTHON_SIGNER_DIR, signWithPython, vectors } from './support/python'

// Debian's interpreter carries setuptools and wheel as system packages (.ci/apt-packages); a venv that sees
// them can build the package without fetching anything. Elsewhere, the python3 on PATH.
const PYTHON = process.env.GATEKEEPER_TEST_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3')

const work = mkdtempSync(path.join(tmpdir(), 'gk-signer-py-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('gatekeeper-signer (Python), installed with pip', () => {
  it('installs offline into a fresh venv and signs the shared vectors', () => {
    // pip builds in the source folder (build/, *.egg-info): build from a copy so the checkout stays clean.
    const source = path.join(work, 'src')
    cpSync(PYTHON_SIGNER_DIR, source, { recursive: true })
    const venv = path.join(work, 'venv')
    execFileSync(PYTHON, ['-m', 'venv', '--system-site-packages', venv], { stdio: 'pipe' })
    const python = path.join(venv, 'bin', 'python')
    execFileSync(
      python,
      ['-m', 'pip', 'install', '--no-index', '--no-build-isolation', '--disable-pip-version-check', source],
      { stdio: 'pipe', env: { ...process.env, PIP_NO_INPUT: '1' } },
    )

    const { module, results } = signWithPython(python, { cwd: work })
    expect(module.startsWith(path.join(venv, 'lib'))).toBe(true)
    expect(results).toEqual(vectors.vectors.map(expectedPython))
    const shown = execFileSync(python, ['-m', 'pip', 'show', 'gatekeeper-signer'], { encoding: 'utf8' })
    expect(shown).toMatch(/^Requires: *$/m)
  }, 180_000) // a build (pack) or a venv and pip: seconds each on a shared machine
})
