import { randomBytes } from 'node:crypto'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { consoleAegisEnv, type FakeAegis, startFakeAegis } from '@gatekeeper/testkit/aegis'
import { type AppProcess, type AuthzProcess, startAuthz, startConsoleApi } from '@gatekeeper/testkit/apps'
import { makeNginxDir, type RunningNginx, startNginx } from '@gatekeeper/testkit/nginx'
import { waitFor } from '@gatekeeper/testkit/ports'
import { createTestDatabase, type TestDatabase } from '@gatekeeper/testkit/postgres'
import { stopAll } from '@gatekeeper/testkit/process'
import { REDIS_URL } from '@gatekeeper/testkit/redis'
import { startRelay } from '@gatekeeper/testkit/relay'
import { readShippedConfig } from '@gatekeeper/testkit/template'
import { cliJson } from './cli'
import { writeConsoleDist } from './console-dist'
import { type ControlPlane, createControlPlane } from './control-plane'
import { type EchoUpstream, startEchoUpstream } from './upstream'

// One end-to-end environment per test file: a fresh migrated database; authz and console-api on Redis with a key
// prefix of their own; console-api's fake Aegis; the echo upstream; nginx serving console-host.conf, through which
// everything is configured (an admin added with the CLI, then the admin API); and any number of nginx instances
// each running one shipped config. nginx connects to authz from 127.0.0.1, the trusted forwarder; other loopback
// addresses play clients and untrusted callers, and 127.0.0.5 plays the CDN.

export const NGINX_SOURCE_IP = '127.0.0.1'
export const CDN_IP = '127.0.0.5'
export const CONSOLE_HOST = 'console.example.com'

export interface NginxRequest {
  /** A mutation of the shipped text (the load-bearing tests break the configs on purpose). */
  mutate?: (text: string) => string
  name?: string
  /** Put a connection-counting relay between this nginx and authz (for the keepalive checks). */
  countAuthzConnections?: boolean
  /** The protected API this nginx proxies to (host:port), instead of the stack's echo upstream. */
  upstream?: string
}

export interface StackOptions {
  /** Extra authz settings, applied last (a suite that needs a non-default authz behaviour). */
  authzEnv?: Readonly<Record<string, string>>
}

export interface StackNginx extends RunningNginx {
  /** Connections this nginx opened to authz; undefined unless started with `countAuthzConnections`. */
  authzConnections: (() => number) | undefined
}

export interface Stack {
  db: TestDatabase
  cp: ControlPlane
  authz: AuthzProcess
  upstream: EchoUpstream
  console: { api: AppProcess; aegis: FakeAegis; nginx: StackNginx; dist: string; token: string }
  /** Starts nginx with a shipped config from nginx/, addresses filled in for this stack. */
  nginx(file: string, request?: NginxRequest): Promise<StackNginx>
  /** Waits until authz's snapshot has every configuration change committed so far. */
  synced(): Promise<void>
  close(): Promise<void>
}

const PLACEHOLDERS: Readonly<Record<string, readonly string[]>> = {
  'protected-api.conf': ['AUTHZ_UPSTREAM', 'UPSTREAM'],
  'cdn-forwarder.conf': ['AUTHZ_UPSTREAM', 'UPSTREAM', 'CDN_RANGES'],
  'public-cache.conf': ['AUTHZ_UPSTREAM', 'UPSTREAM', 'CACHE_DIR'],
  'console-host.conf': ['CONSOLE_API_UPSTREAM', 'CONSOLE_DIST'],
}

export interface RunningApps {
  authz: AuthzProcess
  api: AppProcess
}

/**
 * authz (trusting nginx at NGINX_SOURCE_IP, following changes within 250 ms) and console-api (signing in through
 * `aegis`) side by side on the `shared` settings (database, Redis, master key); `extra` is applied last.
 */
export async function startApps(
  shared: Readonly<Record<string, string>>,
  aegis: FakeAegis,
  extra: { authz?: Readonly<Record<string, string>>; console?: Readonly<Record<string, string>> } = {},
): Promise<RunningApps> {
  const [authz, api] = await Promise.all([
    startAuthz({
      env: {
        ...shared,
        TRUSTED_FORWARDER_IPS: NGINX_SOURCE_IP,
        CONFIG_POLL_INTERVAL_MS: '250',
        // The 5 ms default is for a production Redis next to authz; here the first admission call (connection
        // and script load) on a busy CI machine can take tens of ms, and a timed-out nonce check fails closed.
        REDIS_TIMEOUT_MS: '250',
        ...extra.authz,
      },
    }),
    startConsoleApi({
      env: {
        ...shared,
        ...consoleAegisEnv(aegis),
        SITE_NAME: 'gatekeeper e2e',
        SITE_DOMAIN: CONSOLE_HOST,
        ...extra.console,
      },
    }),
  ])
  return { authz, api }
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const cleanups: Array<() => Promise<void> | void> = []
  const close = async () => {
    const errors: unknown[] = []
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup()
      } catch (err) {
        errors.push(err)
      }
    }
    await stopAll()
    if (errors.length > 0) throw new AggregateError(errors, 'e2e stack cleanup failed')
  }
  try {
    const db = await createTestDatabase()
    cleanups.push(() => db.drop())
    const masterKey = randomBytes(32).toString('base64')
    const redisKeyPrefix = `gk-e2e-${randomBytes(4).toString('hex')}:`
    const shared = {
      DATABASE_URL: db.url,
      REDIS_URL,
      REDIS_KEY_PREFIX: redisKeyPrefix,
      GATEKEEPER_MASTER_KEY: masterKey,
      SHUTDOWN_GRACE_MS: '1000',
    }
    const upstream = await startEchoUpstream()
    cleanups.push(() => upstream.close())
    const aegis = await startFakeAegis()
    cleanups.push(() => aegis.stop())

    const { authz, api } = await startApps(shared, aegis, {
      authz: { LOG_LEVEL: 'info', AUDIT_LOG: 'true', ...options.authzEnv },
      console: { LOG_LEVEL: 'warn' },
    })
    cleanups.push(() => authz.stop())
    cleanups.push(() => api.stop())

    // Files the configs refer to by path: the CDN's address ranges (one loopback address plays the CDN) and a
    // console build.
    const files = makeNginxDir('files')
    cleanups.push(() => rmSync(files, { recursive: true, force: true }))
    const cdnRanges = join(files, 'cdn-ranges.conf')
    writeFileSync(cdnRanges, `set_real_ip_from ${CDN_IP};\n`)
    const dist = join(files, 'console')
    writeConsoleDist(dist)

    const values = (file: string, dir: string, authzPort: number, protectedApi?: string): Record<string, string> => {
      const all: Record<string, string> = {
        AUTHZ_UPSTREAM: `127.0.0.1:${authzPort}`,
        UPSTREAM: protectedApi ?? `127.0.0.1:${upstream.port}`,
        CDN_RANGES: cdnRanges,
        CACHE_DIR: join(dir, 'decision-cache'),
        CONSOLE_API_UPSTREAM: `127.0.0.1:${api.port}`,
        CONSOLE_DIST: dist,
      }
      const names = PLACEHOLDERS[file]
      if (names === undefined) throw new Error(`the stack does not know how to address ${file}`)
      return Object.fromEntries(names.map((name) => [name, all[name] ?? '']))
    }

    let count = 0
    const nginx = async (file: string, request: NginxRequest = {}): Promise<StackNginx> => {
      count += 1
      const shipped = readShippedConfig(file)
      const template = request.mutate ? request.mutate(shipped) : shipped
      const name = request.name ?? `${file.replace(/\.conf$/, '')}-${count}`
      const dir = makeNginxDir(`${name}-files`)
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
      let authzPort = authz.port
      let authzConnections: (() => number) | undefined
      if (request.countAuthzConnections) {
        const relay = await startRelay({ port: authz.port })
        cleanups.push(() => relay.close())
        authzPort = relay.port
        authzConnections = () => relay.connections
      }
      const running = await startNginx({ name, template, values: values(file, dir, authzPort, request.upstream) })
      cleanups.push(async () => {
        await running.stop()
        rmSync(running.dir, { recursive: true, force: true })
      })
      return { ...running, authzConnections }
    }

    // The first console admin comes from the CLI (`gatekeeper admin add`), as an operator bootstraps one.
    const consoleNginx = await nginx('console-host.conf', { name: 'console' })
    const { user, token } = aegis.addUser()
    await cliJson(['admin', 'add', '--email', user.email, '--aegis-user-id', user.uuid], {
      DATABASE_URL: db.url,
      GATEKEEPER_MASTER_KEY: masterKey,
    })
    const cp = createControlPlane(db.url, { port: consoleNginx.port, host: CONSOLE_HOST, token })
    cleanups.push(() => cp.close())

    return {
      db,
      cp,
      authz,
      upstream,
      console: { api, aegis, nginx: consoleNginx, dist, token },
      nginx,
      async synced() {
        const target = await cp.version()
        await waitFor(
          `authz at config version ${target}`,
          async () => {
            const version = await authz.configVersion()
            return version !== undefined && version >= target ? true : undefined
          },
          5000,
        )
      },
      close,
    }
  } catch (err) {
    await close().catch(() => undefined)
    throw err
  }
}
