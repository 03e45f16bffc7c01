import { request } from 'node:http'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort, waitFor } from '@gatekeeper/e2e/ports'
import { type ManagedProcess, startProcess } from '@gatekeeper/e2e/process'

// authz and console-api as real processes (their src/main.ts under tsx), configured only through the
// environment, with every line of their stdout and stderr kept. Unlike the e2e harness's launchers, the
// environment is entirely the caller's (log level, failure modes, timeouts), and a process can be restarted on
// its port or killed outright.

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..')
const AUTHZ_DIR = resolve(REPO_ROOT, 'apps/authz')
const CONSOLE_API_DIR = resolve(REPO_ROOT, 'apps/console-api')

export interface AppProcess {
  name: string
  port: number
  /** The current run (after a restart, the new one). */
  readonly process: ManagedProcess
  /** Every line of every run, in order. */
  lines(): string[]
  /** Starts it again on the same port (after stop() or kill()) and waits until it is ready. */
  restart(): Promise<void>
  /** SIGKILL, no grace: a crash. */
  kill(): Promise<void>
  stop(): Promise<void>
}

export function httpGet(port: number, path: string, timeoutMs = 2000): Promise<{ status: number; body: string }> {
  return new Promise((resolveGet, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: timeoutMs }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        body += chunk
      })
      res.on('end', () => resolveGet({ status: res.statusCode ?? 0, body }))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end()
  })
}

async function launch(
  name: string,
  dir: string,
  env: Record<string, string | undefined>,
  ready: (port: number) => Promise<boolean>,
  portVar: string,
  hostVar: string,
  port?: number,
): Promise<AppProcess> {
  const chosen = port ?? (await freePort())
  const runs: ManagedProcess[] = []
  const fullEnv = { ...process.env, NODE_ENV: 'test', ...env, [portVar]: String(chosen), [hostVar]: '127.0.0.1' }
  const start = async () => {
    const child = startProcess({
      name,
      command: process.execPath,
      args: ['--import', 'tsx', 'src/main.ts'],
      cwd: dir,
      env: fullEnv,
    })
    runs.push(child)
    await waitFor(
      `${name} ready on port ${chosen}`,
      async () => {
        if (!child.running) throw new Error(`${name} exited:\n${child.tail()}`)
        return (await ready(chosen).catch(() => false)) ? true : undefined
      },
      30_000,
    ).catch(async (err: unknown) => {
      await child.stop(1000)
      throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- ${name} output ---\n${child.tail()}`)
    })
  }
  await start()
  const current = () => {
    const last = runs[runs.length - 1]
    if (last === undefined) throw new Error(`${name} never started`)
    return last
  }
  return {
    name,
    port: chosen,
    get process() {
      return current()
    },
    lines: () => runs.flatMap((run) => [...run.lines]),
    restart: start,
    async kill() {
      const run = current()
      run.signal('SIGKILL')
      await run.exited
    },
    stop: () => current().stop(5000),
  }
}

/** authz; ready when /health answers 200 (a snapshot is loaded). */
export function startAuthzProcess(env: Record<string, string | undefined>, port?: number): Promise<AppProcess> {
  return launch(
    'authz',
    AUTHZ_DIR,
    env,
    async (p) => (await httpGet(p, '/health')).status === 200,
    'AUTHZ_PORT',
    'AUTHZ_HOST',
    port,
  )
}

/** console-api; ready when /health answers 200. */
export function startConsoleApiProcess(env: Record<string, string | undefined>, port?: number): Promise<AppProcess> {
  return launch(
    'console-api',
    CONSOLE_API_DIR,
    env,
    async (p) => (await httpGet(p, '/health')).status === 200,
    'CONSOLE_API_PORT',
    'CONSOLE_API_HOST',
    port,
  )
}
