import { request as httpRequest } from 'node:http'
import { AUTHZ_DIR, AUTHZ_MAIN } from './paths'
import { freePort, waitFor } from './ports'
import { type ManagedProcess, startProcess } from './process'

// The real authz (apps/authz/src/main.ts under tsx) on a loopback port, configured only through its environment,
// and its stdout audit log (one JSON line per decision) for assertions about what it decided and for whom.

export interface AuthzOptions {
  databaseUrl: string
  redisUrl: string
  /** A key prefix of this run's own, so parallel runs sharing Redis never see each other's windows and nonces. */
  redisKeyPrefix: string
  masterKey: string
  trustedForwarders: readonly string[]
  /** More settings, applied last (a suite that needs a non-default authz behaviour). */
  env?: Readonly<Record<string, string>>
}

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

export interface AuthzServer {
  port: number
  readonly process: ManagedProcess
  /** (Re)starts authz on the same port and waits until /health says ready. */
  start(): Promise<void>
  /** The config version of authz's snapshot (/health), or undefined while it has none. */
  configVersion(): Promise<number | undefined>
  /** Decisions logged so far (across restarts). */
  audit(): AuditLine[]
  /** The decision logged for an nginx request id (waits briefly: logging is asynchronous). */
  auditFor(requestId: string, timeoutMs?: number): Promise<AuditLine>
  stop(): Promise<void>
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent: false, timeout: 1000 }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        body += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end()
  })
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

export async function createAuthz(options: AuthzOptions): Promise<AuthzServer> {
  const port = await freePort()
  const runs: ManagedProcess[] = []
  const current = (): ManagedProcess => {
    const last = runs[runs.length - 1]
    if (last === undefined) throw new Error('authz was never started')
    return last
  }
  const env: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    REDIS_KEY_PREFIX: options.redisKeyPrefix,
    GATEKEEPER_MASTER_KEY: options.masterKey,
    AUTHZ_HOST: '127.0.0.1',
    AUTHZ_PORT: String(port),
    TRUSTED_FORWARDER_IPS: options.trustedForwarders.join(','),
    CONFIG_POLL_INTERVAL_MS: '250',
    // The 5 ms default is for a production Redis next to authz; here the first admission call (connection and
    // script load) on a busy CI machine can take tens of ms, and a timed-out nonce check fails closed (503).
    REDIS_TIMEOUT_MS: '250',
    LOG_LEVEL: 'info',
    AUDIT_LOG: 'true',
    SHUTDOWN_GRACE_MS: '1000',
    ...options.env,
  }
  const server: AuthzServer = {
    port,
    get process() {
      return current()
    },
    async start() {
      const child = startProcess({
        name: 'authz',
        command: process.execPath,
        args: ['--import', 'tsx', AUTHZ_MAIN],
        cwd: AUTHZ_DIR,
        env,
      })
      runs.push(child)
      await waitFor(
        `authz ready on port ${port}`,
        async () => {
          if (!child.running) throw new Error(`authz exited:\n${child.tail()}`)
          const health = await get(port, '/health').catch(() => undefined)
          return health?.status === 200 ? true : undefined
        },
        60_000,
      ).catch(async (err: unknown) => {
        await child.stop(1000)
        throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- authz output ---\n${child.tail()}`)
      })
    },
    async configVersion() {
      const health = await get(port, '/health')
      const parsed: unknown = JSON.parse(health.body)
      if (typeof parsed !== 'object' || parsed === null || !('snapshot' in parsed)) return undefined
      const snapshot: unknown = parsed.snapshot
      if (typeof snapshot !== 'object' || snapshot === null || !('version' in snapshot)) return undefined
      return typeof snapshot.version === 'number' ? snapshot.version : undefined
    },
    audit() {
      const lines: AuditLine[] = []
      for (const run of runs) {
        for (const line of run.lines) {
          const entry = parseAudit(line)
          if (entry !== undefined) lines.push(entry)
        }
      }
      return lines
    },
    async auditFor(requestId, timeoutMs = 3000) {
      return waitFor(
        `authz audit line for request ${requestId}`,
        async () => server.audit().find((line) => line.request_id === requestId),
        timeoutMs,
      )
    },
    async stop() {
      for (const run of runs) await run.stop(3000)
    },
  }
  await server.start()
  return server
}
