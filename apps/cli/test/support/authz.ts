import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

const REPO = fileURLToPath(new URL('../../../../', import.meta.url))
const AUTHZ_MAIN = fileURLToPath(new URL('../../../authz/src/main.ts', import.meta.url))

export type RunningAuthz = { url: string; port: number; stop(): Promise<void>; output(): string }

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** The real authz service (apps/authz/src/main.ts under tsx) on a free loopback port, ready when this resolves. */
export async function startAuthz(env: { DATABASE_URL: string; GATEKEEPER_MASTER_KEY: string }): Promise<RunningAuthz> {
  const port = await freePort()
  let output = ''
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', AUTHZ_MAIN], {
    cwd: REPO,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      ...env,
      AUTHZ_PORT: String(port),
      AUTHZ_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      AUDIT_LOG: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString()
  })
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString()
  })
  const url = `http://127.0.0.1:${port}`
  const stop = async () => {
    if (child.exitCode !== null) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGTERM')
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
    if (child.exitCode === null) child.kill('SIGKILL')
  }
  const deadline = Date.now() + 90_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`authz exited (${child.exitCode}):\n${output}`)
    try {
      const res = await fetch(`${url}/health`)
      if (res.ok) return { url, port, stop, output: () => output }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  await stop()
  throw new Error(`authz did not become healthy:\n${output}`)
}

export type AuthzRequest = { path: string; method?: string; host: string; authorization?: string }

/** What nginx's auth_request asks: the original request's URI, method and host in headers. */
export async function decide(authz: RunningAuthz, req: AuthzRequest): Promise<number> {
  const headers: Record<string, string> = {
    'X-Original-URI': req.path,
    'X-Original-Method': req.method ?? 'GET',
    'X-Original-Host': req.host,
  }
  if (req.authorization !== undefined) headers.Authorization = req.authorization
  const res = await fetch(`${authz.url}/authz`, { headers })
  await res.arrayBuffer()
  return res.status
}

/** Polls until authz answers `status` (every 20 ms); returns how long it took, or throws after `withinMs`. */
export async function waitForStatus(
  authz: RunningAuthz,
  req: AuthzRequest,
  status: number,
  withinMs: number,
): Promise<number> {
  const start = performance.now()
  let last = 0
  while (performance.now() - start < withinMs) {
    last = await decide(authz, req)
    if (last === status) return performance.now() - start
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`authz still answered ${last} after ${withinMs} ms (wanted ${status})`)
}
