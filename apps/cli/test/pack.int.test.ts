// The CLI as a user outside this repository gets it: `pnpm pack` (the tarball `pnpm publish` would upload),
// `npm install <tarball>` into an empty project in a temporary folder (only real npm dependencies come from
// the registry: the workspace packages are bundled in), then `gatekeeper --help` and `gatekeeper start` on the
// embedded default, with the installed CLI managing what it started.

import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { RouteWire } from '@gatekeeper/models'
import { freePort } from '@gatekeeper/testkit/ports'
import { afterAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const APP_DIR = fileURLToPath(new URL('..', import.meta.url))
const work = mkdtempSync(path.join(tmpdir(), 'gk-cli-pack-'))
let started: ChildProcess | undefined

afterAll(async () => {
  if (started !== undefined && started.exitCode === null && started.signalCode === null) {
    const exited = new Promise((resolve) => started?.once('exit', resolve))
    started.kill('SIGTERM')
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
    if (started.exitCode === null) started.kill('SIGKILL')
  }
  rmSync(work, { recursive: true, force: true })
}, 30_000)

async function healthy(url: string, deadline: number, output: () => string): Promise<void> {
  while (Date.now() < deadline) {
    if (started?.exitCode !== null) throw new Error(`gatekeeper start exited:\n${output()}`)
    try {
      const res = await fetch(url)
      if (res.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${url} never became healthy:\n${output()}`)
}

describe('the packed CLI, installed outside the repository', () => {
  it('installs with npm, prints its help and starts the whole stack on the embedded database', async () => {
    const packed = path.join(work, 'packed')
    await run('pnpm', ['pack', '--pack-destination', packed], { cwd: APP_DIR })
    const [tarball] = readdirSync(packed)
    if (tarball === undefined) throw new Error('pnpm pack wrote nothing')

    const app = path.join(work, 'app')
    mkdirSync(app)
    writeFileSync(path.join(app, 'package.json'), '{"name":"app","private":true}\n')
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(packed, tarball)], {
      cwd: app,
      timeout: 240_000,
    })
    const manifest = JSON.parse(readFileSync(path.join(app, 'node_modules/@gatekeeper/cli/package.json'), 'utf8'))
    expect(Object.keys(manifest.dependencies).filter((name) => name.startsWith('@gatekeeper/'))).toEqual([])
    expect(readdirSync(path.join(app, 'node_modules/@gatekeeper'))).toEqual(['cli'])

    const bin = path.join(app, 'node_modules', '.bin', 'gatekeeper')
    // Only the system's PATH, a home and a data folder: no DATABASE_URL, REDIS_URL or checkout to lean on.
    const [authzPort, consolePort, pgPort] = [await freePort(), await freePort(), await freePort()]
    const env = {
      PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`,
      HOME: work,
      GATEKEEPER_DATA_DIR: path.join(work, 'data'),
      AUTHZ_PORT: String(authzPort),
      CONSOLE_API_PORT: String(consolePort),
      GATEKEEPER_EMBEDDED_PG_PORT: String(pgPort),
      NO_COLOR: '1',
    }
    const help = await run(bin, ['--help'], { cwd: app, env })
    expect(help.stdout).toMatch(/^Usage: gatekeeper /)
    expect(help.stderr).toBe('')

    let output = ''
    started = spawn(bin, ['start'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] })
    started.stdout?.on('data', (d: Buffer) => {
      output += d.toString()
    })
    started.stderr?.on('data', (d: Buffer) => {
      output += d.toString()
    })
    const deadline = Date.now() + 120_000
    await healthy(`http://127.0.0.1:${authzPort}/health`, deadline, () => output)
    await healthy(`http://127.0.0.1:${consolePort}/health`, deadline, () => output)
    expect(output).toContain('embedded PostgreSQL (PGlite)')

    // The installed CLI finds the embedded database that `start` serves, and authz sees what it writes.
    const created = await run(
      bin,
      ['route', 'create', '--pattern', '/api/hello', '--domain', '*', '--service', 'hello', '--method', 'GET=public'],
      { cwd: app, env },
    )
    expect(created.stderr).toBe('')
    const listed = JSON.parse((await run(bin, ['route', 'list', '--json'], { cwd: app, env })).stdout) as RouteWire[]
    expect(listed.map((r) => r.route_pattern)).toEqual(['/api/hello'])
    let status = 0
    for (let attempt = 0; attempt < 40 && status !== 200; attempt++) {
      const res = await fetch(`http://127.0.0.1:${authzPort}/authz`, {
        headers: { 'X-Original-URI': '/api/hello', 'X-Original-Method': 'GET', 'X-Original-Host': 'example.com' },
      })
      status = res.status
      if (status !== 200) await new Promise((r) => setTimeout(r, 250))
    }
    expect(status).toBe(200)
  }, 420_000)
})
