import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startEmbeddedPostgres } from '@gatekeeper/db/embedded'
import { runMigrations } from '@gatekeeper/db/migrate'
import { redactRedisUrl } from '@gatekeeper/limits/url'
import { resolveDatabaseUrl, resolveRedisUrl } from '@gatekeeper/models/env'
import { migrationsFolder } from '../db/migrations-folder'

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

type StartOptions = { dataDir: string; embeddedPort: number }

export async function startAll(env: NodeJS.ProcessEnv, opts: StartOptions): Promise<void> {
  const dataDir = path.resolve(opts.dataDir)
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })

  let databaseUrl = resolveDatabaseUrl(env)
  let closeEmbedded: (() => Promise<void>) | undefined
  if (databaseUrl) {
    await runMigrations({ url: databaseUrl }, { migrationsFolder: migrationsFolder() })
    log(`database: PostgreSQL at ${redactUrl(databaseUrl)} (migrations applied)`)
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

  const masterKey = env.GATEKEEPER_MASTER_KEY || loadOrCreateDevMasterKey(dataDir)
  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    DATABASE_URL: databaseUrl,
    GATEKEEPER_MASTER_KEY: masterKey,
    GATEKEEPER_DATA_DIR: dataDir,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    // LISTEN/NOTIFY does not cross the embedded server's socket: authz watches the config
    // version instead, often enough that a change still shows within a second.
    ...(closeEmbedded ? { CONFIG_POLL_INTERVAL_MS: env.CONFIG_POLL_INTERVAL_MS ?? '250' } : {}),
  }

  const children = [runApp('authz', childEnv), runApp('console-api', childEnv)]
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
  for (const child of children) {
    child.on('exit', (code) => {
      if (!stopping) {
        log(`${child.spawnargs.at(-1)} exited (${code ?? 'signal'}); stopping everything`)
        void stop(code || 1)
      }
    })
  }
  log(
    `authz on :${env.AUTHZ_PORT ?? env.PORT ?? 7843}, console-api on :${env.CONSOLE_API_PORT ?? 7844} (Ctrl-C stops all)`,
  )
}

function runApp(name: 'authz' | 'console-api', env: NodeJS.ProcessEnv): ChildProcess {
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

function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return '(unparseable url)'
  }
}

function log(message: string): void {
  process.stderr.write(`gatekeeper: ${message}\n`)
}
