// Child processes for the proof: started with their output kept, stopped by pid (TERM, then KILL).

import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'

export interface Proc {
  name: string
  child: ChildProcess
  /** Complete stdout lines so far. */
  stdout: string[]
  /** Last stderr text (for failure messages). */
  stderr(): string
  exited(): boolean
  stop(): Promise<void>
}

export function startProc(
  name: string,
  command: string,
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string } = {},
): Proc {
  const child = spawn(command, args, {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stdout: string[] = []
  let pending = ''
  let err = ''
  let exited = false
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk
    const parts = pending.split('\n')
    pending = parts.pop() ?? ''
    for (const line of parts) if (line.length > 0) stdout.push(line)
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err = (err + chunk).slice(-8000)
  })
  const done = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true
      resolve()
    })
    child.once('error', (e) => {
      err += `\nspawn error: ${e.message}`
      exited = true
      resolve()
    })
  })
  return {
    name,
    child,
    stdout,
    stderr: () => err,
    exited: () => exited,
    async stop() {
      if (exited || child.pid === undefined) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await done
      clearTimeout(timer)
    },
  }
}

export async function freePort(): Promise<number> {
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

/** Polls until `probe` holds; fails with `describe()` (e.g. a process's stderr) after `timeoutMs`. */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  opts: { timeoutMs: number; describe?: () => string },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`${what}: not ready after ${opts.timeoutMs} ms\n${opts.describe?.() ?? ''}`)
}

export async function httpOk(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) })
  await res.arrayBuffer()
  return res.ok
}
