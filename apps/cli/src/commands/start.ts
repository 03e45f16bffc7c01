import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startEmbeddedPostgres } from '@gatekeeper/db/embedded'
import { runMigrations } from '@gatekeeper/db/migrate'
import { redactRedisUrl } from '@gatekeeper/limits/url'
import { resolveDatabaseUrl, resolveRedisUrl } from '@gatekeeper/models/env'
import { redactUrl } from '../database'
import { migrationsFolder } from '../db/migrations-folder'
import { CliError, isConnectionError } from '../errors'
import { startSignIn } from '../sign-in-link'
import { ensureConsoleDist } from '../start/console-build'
import { consoleUrl, nextStepsLines, type StartSummary } from '../start/next-steps'
import { busyPortProblem, envPort, type PortNeed } from '../start/ports'
import { redisDownWarning } from '../start/redis-check'

// `gatekeeper start` (what `pnpm start` runs): the whole gatekeeper on one machine. With no
// database configured it hosts an embedded PostgreSQL (PGlite, persisted in the data folder)
// and serves it on a local port so authz, console-api and the CLI all reach it; with
// DATABASE_URL/REDIS_URL set it uses those. authz and console-api run as their own processes,
// exactly as they would in production.

// apps/ of the checkout: three levels up from src/commands, two from dist (bundled). Found by looking,
// so both layouts work.
function findAppsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, 'authz', 'src', 'main.ts'))) return dir
    if (existsSync(path.join(dir, 'apps', 'authz', 'src', 'main.ts'))) return path.join(dir, 'apps')
    dir = path.dirname(dir)
  }
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
}

type StartOptions = {
  dataDir: string
  embeddedPort: number
  /** How the user runs the CLI from here, for the commands in the next-steps block. */
  cli: string
}

export async function startAll(env: NodeJS.ProcessEnv, opts: StartOptions): Promise<void> {
  const dataDir = path.resolve(opts.dataDir)
  let databaseUrl = resolveDatabaseUrl(env)
  const busy = await busyPortProblem(portsNeeded(env, databaseUrl === undefined ? opts.embeddedPort : undefined))
  if (busy !== undefined) throw CliError.failed(busy)
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  // Built (when needed) while the database starts; awaited before console-api, which serves it.
  const consoleDist = ensureConsoleDist(env, findAppsDir(), log)

  let closeEmbedded: (() => Promise<void>) | undefined
  if (databaseUrl) {
    await migrateConfigured(databaseUrl)
    log(`database: PostgreSQL at ${redactUrl(databaseUrl, '(unparseable url)')} (migrations applied)`)
  } else {
    const embedded = await startEmbeddedPostgres({
      dataDir,
      port: opts.embeddedPort,
      migrationsFolder: migrationsFolder(),
    })
    databaseUrl = embedded.url
    closeEmbedded = embedded.close
    log(`database: embedded PostgreSQL (PGlite) in ${path.join(dataDir, 'pgdata')}, served at ${embedded.url}`)
  }
  const redisUrl = resolveRedisUrl(env)
  log(
    redisUrl
      ? `rate limits and nonces: Redis at ${redactRedisUrl(redisUrl)}`
      : 'rate limits and nonces: in-memory (single instance; set REDIS_URL to share them across replicas)',
  )
  const redisDown = redisUrl ? await redisDownWarning(redisUrl) : undefined
  if (redisDown !== undefined) log(redisDown)

  const masterKey = env.GATEKEEPER_MASTER_KEY || loadOrCreateDevMasterKey(dataDir)
  const dist = await consoleDist
  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    ...(dist.ok ? { CONSOLE_DIST_DIR: dist.distDir } : {}),
    DATABASE_URL: databaseUrl,
    GATEKEEPER_MASTER_KEY: masterKey,
    GATEKEEPER_DATA_DIR: dataDir,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    // LISTEN/NOTIFY does not cross the embedded server's socket: authz watches the config
    // version instead, often enough that a change still shows within a second.
    ...(closeEmbedded ? { CONFIG_POLL_INTERVAL_MS: env.CONFIG_POLL_INTERVAL_MS ?? '250' } : {}),
  }

  // Minted before the services start: the embedded server runs every client in one session.
  const authzUrl = localUrl(env.AUTHZ_HOST, env.AUTHZ_PORT ?? env.PORT ?? '7843')
  const consoleApiUrl = localUrl(env.CONSOLE_API_HOST, env.CONSOLE_API_PORT ?? '7844')
  const signIn = await startSignIn(databaseUrl, env, consoleUrl(consoleApiUrl))
  const apps = (['authz', 'console-api'] as const).map((name) => ({ name, child: runApp(name, childEnv) }))
  const children = apps.map((a) => a.child)
  let stopping = false
  const stop = async (code: number) => {
    if (stopping) return
    stopping = true
    for (const child of children) child.kill('SIGTERM')
    await Promise.all(children.map((c) => waitExit(c)))
    await closeEmbedded?.()
    process.exit(code)
  }
  process.on('SIGINT', () => void stop(0))
  process.on('SIGTERM', () => void stop(0))
  for (const { name, child } of apps) {
    child.on('exit', (code) => {
      if (!stopping) {
        log(`${name} exited (${code ?? 'signal'}); stopping everything`)
        void stop(code || 1)
      }
    })
  }
  log(
    `authz on :${env.AUTHZ_PORT ?? env.PORT ?? 7843}, console-api on :${env.CONSOLE_API_PORT ?? 7844} (Ctrl-C stops all)`,
  )
  // A link goes into the next steps; without one, the reason (Aegis mode, or why it failed) is said now.
  if (signIn.url === undefined) log(signIn.line)

  const summary: StartSummary = {
    authzUrl,
    consoleApiUrl,
    consoleUnavailable: dist.ok ? undefined : dist.reason,
    signInUrl: signIn.url,
    cli: opts.cli,
  }
  const ready = await waitHealthy([`${summary.authzUrl}/health`, `${summary.consoleApiUrl}/health`], () => stopping)
  if (stopping) return
  if (!ready) log('authz or console-api is not answering /health yet; the links below work once it does')
  process.stdout.write(`${nextStepsLines(summary).join('\n')}\n`)
}

/**
 * Migrations on the DATABASE_URL the user set: a database that cannot be reached is one line naming it (without
 * its password) and what to do, not the driver's bare "connect ECONNREFUSED".
 */
async function migrateConfigured(url: string): Promise<void> {
  try {
    await runMigrations({ url }, { migrationsFolder: migrationsFolder() })
  } catch (err) {
    if (!isConnectionError(err)) throw err
    const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0]
    throw CliError.unavailable(
      `cannot connect to ${redactUrl(url, '(unparseable url)')} (DATABASE_URL): ${reason}; start PostgreSQL there or correct DATABASE_URL, or unset it to use the embedded database`,
    )
  }
}

/** The ports the services (and the embedded database, when there is one) will listen on. */
function portsNeeded(env: NodeJS.ProcessEnv, embeddedPort: number | undefined): PortNeed[] {
  const needs: Array<PortNeed | undefined> = [
    need(envPort([env.AUTHZ_PORT, env.PORT], 7843), env.AUTHZ_HOST, 'authz', 'AUTHZ_PORT'),
    need(envPort([env.CONSOLE_API_PORT], 7844), env.CONSOLE_API_HOST, 'console-api', 'CONSOLE_API_PORT'),
    embeddedPort === undefined
      ? undefined
      : need(embeddedPort, '127.0.0.1', 'the embedded PostgreSQL', 'GATEKEEPER_EMBEDDED_PG_PORT'),
  ]
  return needs.filter((n) => n !== undefined)
}

function need(
  port: number | undefined,
  host: string | undefined,
  what: string,
  variable: string,
): PortNeed | undefined {
  return port === undefined ? undefined : { port, host: host?.trim() || '0.0.0.0', what, variable }
}

/**
 * A URL for this machine's browser and curl: a wildcard listen address is reached as 127.0.0.1 (the
 * services listen on IPv4, and `localhost` can resolve to ::1 first).
 */
function localUrl(host: string | undefined, port: string): string {
  const h = host === undefined || host === '' || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`
}

/** Polls every URL until each answers 2xx (true), `given up` says stop, or a minute passes (false). */
async function waitHealthy(urls: ReadonlyArray<string>, givenUp: () => boolean): Promise<boolean> {
  const deadline = Date.now() + 60_000
  const pending = new Set(urls)
  while (pending.size > 0 && !givenUp() && Date.now() < deadline) {
    for (const url of [...pending]) {
      const answer = await fetch(url, { signal: AbortSignal.timeout(1000) }).catch(() => undefined)
      if (answer?.ok) pending.delete(url)
    }
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return pending.size === 0
}

function runApp(name: 'authz' | 'console-api', env: NodeJS.ProcessEnv): ChildProcess {
  // The built CLI carries both services as bundles next to its own (dist/authz.js, dist/console-api.js),
  // so an installed package needs no checkout; from source, they run from their own sources with tsx.
  const bundled = path.join(path.dirname(fileURLToPath(import.meta.url)), `${name}.js`)
  if (existsSync(bundled)) return spawn(process.execPath, [bundled], { env, stdio: 'inherit' })
  const entry = path.join(findAppsDir(), name, 'src', 'main.ts')
  if (!existsSync(entry)) throw new Error(`cannot find ${entry}: run \`gatekeeper start\` from a gatekeeper checkout`)
  return spawn(process.execPath, ['--import', 'tsx', entry], { env, stdio: 'inherit' })
}

function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

// A development convenience only: production deployments set GATEKEEPER_MASTER_KEY themselves.
function loadOrCreateDevMasterKey(dataDir: string): string {
  const file = path.join(dataDir, 'master.key')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  const key = randomBytes(32).toString('base64')
  writeFileSync(file, `${key}\n`, { mode: 0o600 })
  log(`master key: generated ${file} (set GATEKEEPER_MASTER_KEY in production)`)
  return key
}

function log(message: string): void {
  process.stderr.write(`gatekeeper: ${message}\n`)
}
