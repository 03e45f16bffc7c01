import { createDb, type DbHandle } from '@gatekeeper/db/client'
import type { CliConfig } from './config'
import { CliError } from './errors'

/** Where the CLI's database is: configured explicitly, or the embedded one `pnpm start` is serving. */
export type DbTarget = { url: string; source: 'env' | 'embedded' }

export async function resolveDbTarget(config: CliConfig): Promise<DbTarget> {
  if (config.databaseUrl !== undefined) return { url: config.databaseUrl, source: 'env' }
  // Loaded only here: the module also carries PGlite, which every other command can do without.
  const { readEmbeddedInfo } = await import('@gatekeeper/db/embedded')
  const embedded = await readEmbeddedInfo(config.dataDir)
  if (embedded) return { url: embedded.url, source: 'embedded' }
  throw CliError.unavailable(
    `no database: set DATABASE_URL (or the original's POSTGRES_HOST/API_AUTH_ADMIN_PG_* variables), or run \`pnpm start\` so the embedded database is up (nothing running in ${config.dataDir})`,
  )
}

/** The URL without its password, for messages; `unparseable` stands in for a URL that cannot be read. */
export function redactUrl(url: string, unparseable = '(unparseable database url)'): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return unparseable
  }
}

/** The database's name from its URL (what `db reset` asks the operator to type). */
export function databaseName(url: string): string {
  try {
    const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''))
    return name === '' ? 'postgres' : name
  } catch {
    return 'postgres'
  }
}

/**
 * Opens a small pool and proves it works, so an unreachable database is one clear line (exit 6)
 * before any command starts asking questions.
 */
export async function connectDb(target: DbTarget): Promise<DbHandle> {
  // The embedded server runs every client in one session: one connection keeps transactions apart.
  const handle = createDb(target.url, {
    max: target.source === 'embedded' ? 1 : 3,
    applicationName: 'gatekeeper-cli',
    onError: () => undefined,
  })
  try {
    await handle.pool.query('SELECT 1')
  } catch (err) {
    await handle.close().catch(() => undefined)
    const where =
      target.source === 'embedded' ? 'the embedded database (is `pnpm start` still running?)' : redactUrl(target.url)
    throw CliError.unavailable(`cannot connect to ${where}: ${(err as Error).message}`)
  }
  return handle
}
