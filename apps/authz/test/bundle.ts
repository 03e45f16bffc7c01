// The deployable as operators run it: `tsup` bundles src/main.ts and plain `node` runs dist/main.js. Tests that
// need a real authz process (signals, restarts, several replicas) build it once and start it here.

import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { useSuiteResource } from '@gatekeeper/testkit/suite'
import { afterAll } from 'vitest'
import { type AuthzClient, authzClient, authzEnv, eventually, useWorld, type World } from './harness'

const run = promisify(execFile)
const appDir = fileURLToPath(new URL('..', import.meta.url))

/** Builds the bundle into a fresh directory; `remove()` deletes it. */
async function buildBundle(): Promise<{ outDir: string; remove(): void }> {
  // Inside the app (under node_modules, ignored by git) so the bundle resolves its npm dependencies as dist/ does.
  const cache = path.join(appDir, 'node_modules', '.cache')
  mkdirSync(cache, { recursive: true })
  const outDir = mkdtempSync(path.join(cache, 'authz-dist-'))
  await run('pnpm', ['exec', 'tsup', '--out-dir', outDir, '--no-sourcemap'], { cwd: appDir, timeout: 60_000 })
  return { outDir, remove: () => rmSync(outDir, { recursive: true, force: true }) }
}

export interface RunningBundle extends AuthzClient {
  child: ChildProcess
  lines: Array<Record<string, unknown>>
  port: number
  exited: Promise<number | null>
}

/** Starts `node main.js` with exactly `env` (plus PATH) and waits for the line that names its port. */
async function startBundle(outDir: string, env: Record<string, string>): Promise<RunningBundle> {
  const child = spawn(process.execPath, [path.join(outDir, 'main.js')], {
    cwd: appDir,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: Array<Record<string, unknown>> = []
  let buffer = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString()
    let nl = buffer.indexOf('\n')
    while (nl >= 0) {
      lines.push(JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>)
      buffer = buffer.slice(nl + 1)
      nl = buffer.indexOf('\n')
    }
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`authz exited: ${stderr}`)
    return lines.some((l) => typeof l.port === 'number')
  }, 10_000)
  const port = Number(lines.find((l) => typeof l.port === 'number')?.port)
  return { child, lines, port, exited, ...authzClient(`http://127.0.0.1:${port}`) }
}

/**
 * A world and the bundle built once for the whole file; `start(env)` runs `node main.js` on the world's database
 * (`authzEnv` plus `env`) and waits for /health to answer 200. Whatever is still running at the end is killed,
 * before the world is closed.
 */
export function useBundle(): {
  world: World
  outDir(): string
  /** `ready: false` returns once the port is logged, without waiting for a snapshot (/health 200). */
  start(env?: Record<string, string>, options?: { ready?: boolean }): Promise<RunningBundle>
} {
  const world = useWorld()
  const bundle = useSuiteResource(buildBundle, (b) => b.remove(), 90_000)
  const running: RunningBundle[] = []
  afterAll(() => {
    for (const r of running) if (r.child.exitCode === null) r.child.kill('SIGKILL')
  })
  return {
    world,
    outDir: () => bundle.outDir,
    async start(env = {}, { ready = true } = {}) {
      const r = await startBundle(bundle.outDir, authzEnv(world, env))
      running.push(r)
      if (ready) await eventually(async () => (await fetch(`${r.url}/health`)).status === 200, 10_000)
      return r
    },
  }
}

export function connectRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1')
    s.once('connect', () => {
      s.destroy()
      resolve(false)
    })
    s.once('error', () => resolve(true))
  })
}
