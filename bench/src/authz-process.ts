import { readFileSync, truncateSync } from 'node:fs'
import { join } from 'node:path'
import { freePort, waitFor } from '@gatekeeper/testkit/ports'
import { logTail, type NodeChild, spawnNode } from './child'
import { httpGet } from './http'
import { AUTHZ_DIR, AUTHZ_MAIN } from './paths'

// The real authz (apps/authz/src/main.ts) as its own process, configured only through its environment, as in
// production: audit log on (one JSON line per decision to stdout, here a file), Redis for nonces and limits,
// nginx (127.0.0.1) as the trusted forwarder.

export interface AuthzSettings {
  name: string
  databaseUrl: string
  redisUrl: string
  redisKeyPrefix: string
  masterKey: string
  /** Where its output goes. */
  dir: string
  /** A built bundle (plain node); absent: apps/authz/src/main.ts under tsx. */
  bundle?: string
  /** AUTHZ_WORKERS (cluster mode) when set. */
  workers?: number
  env?: Readonly<Record<string, string>>
  nodeArgs?: readonly string[]
  readyTimeoutMs?: number
}

export interface SnapshotLoad {
  durationMs: number
  version: number
  routes: number
  clients: number
  credentials: number
  permissions: number
}

export interface AuthzProcess {
  name: string
  port: number
  child: NodeChild
  /** The first full snapshot load, from its log line ('config snapshot loaded'). */
  load: SnapshotLoad
  /** Empties the log file (audit lines pile up at tens of MB per measured scenario). */
  truncateLog(): void
  stop(): Promise<void>
}

function parseLoad(line: string): SnapshotLoad | undefined {
  if (!line.includes('"config snapshot loaded"')) return undefined
  const value: unknown = JSON.parse(line)
  if (typeof value !== 'object' || value === null) return undefined
  const num = (name: string) => {
    const v = Reflect.get(value, name)
    return typeof v === 'number' ? v : 0
  }
  return {
    durationMs: num('duration_ms'),
    version: num('version'),
    routes: num('routes'),
    clients: num('clients'),
    credentials: num('credentials'),
    permissions: num('permissions'),
  }
}

export async function startAuthzProcess(settings: AuthzSettings): Promise<AuthzProcess> {
  const port = await freePort()
  const logFile = join(settings.dir, `${settings.name}.log`)
  const child = spawnNode({
    name: settings.name,
    script: settings.bundle ?? AUTHZ_MAIN,
    tsx: settings.bundle === undefined,
    cwd: AUTHZ_DIR,
    logFile,
    nodeArgs: settings.nodeArgs ?? [],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: settings.databaseUrl,
      REDIS_URL: settings.redisUrl,
      REDIS_KEY_PREFIX: settings.redisKeyPrefix,
      GATEKEEPER_MASTER_KEY: settings.masterKey,
      AUTHZ_HOST: '127.0.0.1',
      AUTHZ_PORT: String(port),
      TRUSTED_FORWARDER_IPS: '127.0.0.1',
      LOG_LEVEL: 'info',
      AUDIT_LOG: 'true',
      SHUTDOWN_GRACE_MS: '1000',
      ...(settings.workers === undefined ? {} : { AUTHZ_WORKERS: String(settings.workers) }),
      ...settings.env,
    },
  })
  try {
    await waitFor(
      `${settings.name} ready on port ${port}`,
      async () => {
        if (!child.running) throw new Error(`${settings.name} exited`)
        const health = await httpGet(port, '/health').catch(() => undefined)
        return health?.status === 200 ? true : undefined
      },
      settings.readyTimeoutMs ?? 60_000,
    )
  } catch (err) {
    await child.stop(1000)
    throw new Error(
      `${err instanceof Error ? err.message : String(err)}\n--- ${settings.name} ---\n${logTail(logFile)}`,
    )
  }
  // Logging is asynchronous: the line may land a moment after /health turns ready.
  const load = await waitFor(
    `${settings.name}: its 'config snapshot loaded' log line`,
    async () => {
      for (const line of readFileSync(logFile, 'utf8').split('\n')) {
        const found = parseLoad(line)
        if (found !== undefined) return found
      }
      return undefined
    },
    5000,
  )
  return {
    name: settings.name,
    port,
    child,
    load,
    truncateLog: () => truncateSync(logFile, 0),
    stop: () => child.stop(5000),
  }
}
