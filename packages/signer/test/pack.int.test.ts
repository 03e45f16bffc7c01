// @gatekeeper/signer as a user gets it: `pnpm pack` (what `pnpm publish` uploads), installed with npm into an
// empty project outside the checkout, then imported by plain node and run over the shared v1 and v2 vectors.

import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import v1 from './vectors/hmac-v1.json'
import v2 from './vectors/hmac-v2.json'

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url))
const work = mkdtempSync(path.join(tmpdir(), 'gk-signer-pack-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

// Signs every vector with the installed package; prints what it got and what it expected.
const SCRIPT = `
import { readFileSync } from 'node:fs'
import { signRequestV1, signRequestV2, verifyContentDigest } from '@gatekeeper/signer'
const { v1, v2 } = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const got = []
for (const v of v2) {
  const s = signRequestV2({ clientId: v.clientId, secret: v.secret, method: v.method, url: v.url,
    body: Buffer.from(v.bodyBase64, 'base64'), timestamp: v.timestamp, nonce: v.nonce })
  got.push([s.authorization, s.contentDigest, s.canonical])
}
for (const v of v1) {
  const s = signRequestV1({ clientId: v.clientId, secret: v.secret, method: v.method, path: v.path,
    body: Buffer.from(v.bodyBase64, 'base64'), timestamp: v.timestamp, nonce: v.nonce })
  got.push([s.authorization])
}
got.push([verifyContentDigest('sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:', new Uint8Array()).ok])
process.stdout.write(JSON.stringify(got))
`

describe('@gatekeeper/signer, packed and installed outside the repository', () => {
  it('has no dependencies, ships JS and types, and signs the shared vectors', () => {
    const packed = path.join(work, 'packed')
    execFileSync('pnpm', ['pack', '--pack-destination', packed], { cwd: PACKAGE_DIR, stdio: 'pipe' })
    const [tarball] = readdirSync(packed)
    if (tarball === undefined) throw new Error('pnpm pack wrote nothing')

    const app = path.join(work, 'app')
    execFileSync('mkdir', ['-p', app])
    writeFileSync(path.join(app, 'package.json'), '{"name":"app","private":true,"type":"module"}\n')
    // No dependencies, so nothing is fetched: --offline proves it.
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', path.join(packed, tarball)], {
      cwd: app,
      stdio: 'pipe',
    })
    const installed = path.join(app, 'node_modules', '@gatekeeper', 'signer')
    const manifest = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8'))
    expect(manifest.dependencies ?? {}).toEqual({})
    expect(manifest.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' })
    expect(readdirSync(path.join(installed, 'dist')).sort()).toEqual(['index.d.ts', 'index.js'])
    expect(readFileSync(path.join(installed, 'dist', 'index.d.ts'), 'utf8')).toContain('signRequestV2')
    expect(readdirSync(path.join(app, 'node_modules'))).toEqual(['.package-lock.json', '@gatekeeper'])

    writeFileSync(path.join(app, 'vectors.json'), JSON.stringify({ v1: v1.vectors, v2: v2.vectors }))
    writeFileSync(path.join(app, 'sign.mjs'), SCRIPT)
    const got = JSON.parse(execFileSync(process.execPath, ['sign.mjs', 'vectors.json'], { cwd: app, encoding: 'utf8' }))
    expect(got).toEqual([
      ...v2.vectors.map((v) => [v.expected.authorization, v.expected.contentDigest, v.expected.canonical]),
      ...v1.vectors.map((v) => [v.expectedAuthorization]),
      [true],
    ])
  }, 180_000) // a build (pack) or a venv and pip: seconds each on a shared machine
})
