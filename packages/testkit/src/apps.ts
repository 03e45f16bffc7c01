import { httpGet } from './http'
import { AUTHZ_DIR, AUTHZ_MAIN, CONSOLE_API_DIR, CONSOLE_API_MAIN } from './paths'
import { freePort, waitFor } from './ports'
import { type ManagedProcess, startProcess } from './process'

// authz and console-api as real processes (their src/main.ts under tsx), configured only through the environment,
// as in production, with every line of their stdout and stderr kept. A process can be restarted on its port or
// killed outright. Tests that want the app in-process use the apps' own `./testing` entry points instead.

export interface AppOptions {
  /** The app's environment (DATABASE_URL, GATEKEEPER_MASTER_KEY, ...); the port and host are filled in. */
  env?: Readonly<Record<string, string | undefined>>
  /** A name for logs and error messages (default: the app's). */
  name?: string
  /** The port to listen on (default: a free one). */
  port?: number
  /**
   * The variable the port is passed in (default: the app's own, AUTHZ_PORT or CONSOLE_API_PORT). `PORT` starts
   * authz the way an original (Flask) deployment's .env does.
   */
  portVar?: string
  /**
   * Start from this process's environment (default). `false` starts from PATH and HOME only, so that nothing the
   * developer's shell exports (REDIS_URL, say) reaches the app.
   */
  inheritEnv?: boolean
  /** How long /health may take to answer 200 (default 60 s: tsx compiles the app on a busy machine). */
  readyTimeoutMs?: number
}

export interface AppProcess {
  readonly name: string
  readonly port: number
  /** http://127.0.0.1:<port> */
  readonly url: string
  /** The current run (after a restart, the new one). */
  readonly process: ManagedProcess
  /** Every line of every run, in order. */
  lines(): string[]
  /** Starts it again on the same port (after stop() or kill()) and waits until it is ready. */
  restart(): Promise<void>
  /** SIGKILL, no grace: a crash. */
  kill(): Promise<void>
  /** SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>
}

interface AppKind {
  name: string
  dir: string
  main: string
  portVar: string
  hostVar: string
}

const AUTHZ: AppKind = { name: 'authz', dir: AUTHZ_DIR, main: AUTHZ_MAIN, portVar: 'AUTHZ_PORT', hostVar: 'AUTHZ_HOST' }
const CONSOLE_API: AppKind = {
  name: 'console-api',
  dir: CONSOLE_API_DIR,
  main: CONSOLE_API_MAIN,
  portVar: 'CONSOLE_API_PORT',
  hostVar: 'CONSOLE_API_HOST',
}

async function launch(kind: AppKind, options: AppOptions): Promise<AppProcess> {
  const name = options.name ?? kind.name
  const port = options.port ?? (await freePort())
  const base = options.inheritEnv === false ? { PATH: process.env.PATH, HOME: process.env.HOME } : process.env
  const portVar = options.portVar ?? kind.portVar
  const env = { ...base, NODE_ENV: 'test', ...options.env, [portVar]: String(port), [kind.hostVar]: '127.0.0.1' }
  const runs: ManagedProcess[] = []
  const start = async () => {
    const child = startProcess({
      name,
      command: process.execPath,
      args: ['--import', 'tsx', kind.main],
      cwd: kind.dir,
      env,
    })
    runs.push(child)
    await waitFor(
      `${name} ready on port ${port}`,
      async () => {
        if (!child.running) throw new Error(`${name} exited:\n${child.tail()}`)
        const health = await httpGet(port, '/health').catch(() => undefined)
        return health?.status === 200 ? true : undefined
      },
      options.readyTimeoutMs ?? 60_000,
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
    port,
    url: `http://127.0.0.1:${port}`,
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

/** One line of authz's audit log (AUDIT_LOG=true: one JSON line per decision on stdout). */
export interface AuditLine {
  request_id: string
  client_ip: string
  client_id?: string
  path?: string
  method?: string
  allowed: boolean
  status: number
  reason: string
}

export interface AuthzProcess extends AppProcess {
  /** Decisions logged so far (across restarts). */
  audit(): AuditLine[]
  /** The decision logged for a request id (waits briefly: logging is asynchronous). */
  auditFor(requestId: string, timeoutMs?: number): Promise<AuditLine>
  /** The config version of authz's snapshot (/health), or undefined while it has none. */
  configVersion(): Promise<number | undefined>
}

function parseAudit(line: string): AuditLine | undefined {
  if (!line.startsWith('{')) return undefined
  try {
    const value: unknown = JSON.parse(line)
    if (typeof value !== 'object' || value === null) return undefined
    if (!('request_id' in value) || !('allowed' in value) || !('reason' in value)) return undefined
    return value as AuditLine
  } catch {
    return undefined
  }
}

/** authz (apps/authz/src/main.ts); ready when /health answers 200, i.e. a snapshot is loaded. */
export async function startAuthz(options: AppOptions = {}): Promise<AuthzProcess> {
  const app = await launch(AUTHZ, options)
  const audit = () => app.lines().flatMap((line) => parseAudit(line) ?? [])
  return Object.assign(app, {
    audit,
    auditFor: (requestId: string, timeoutMs = 3000) =>
      waitFor(
        `authz audit line for request ${requestId}`,
        async () => audit().find((line) => line.request_id === requestId),
        timeoutMs,
      ),
    async configVersion() {
      const health = await httpGet(app.port, '/health')
      const parsed: unknown = JSON.parse(health.body)
      if (typeof parsed !== 'object' || parsed === null || !('snapshot' in parsed)) return undefined
      const snapshot: unknown = parsed.snapshot
      if (typeof snapshot !== 'object' || snapshot === null || !('version' in snapshot)) return undefined
      return typeof snapshot.version === 'number' ? snapshot.version : undefined
    },
  })
}

/** console-api (apps/console-api/src/main.ts); ready when /health answers 200. */
export function startConsoleApi(options: AppOptions = {}): Promise<AppProcess> {
  return launch(CONSOLE_API, options)
}
