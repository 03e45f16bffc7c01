import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import { readEmbeddedInfo, removeEmbeddedInfo, writeEmbeddedInfo } from './embedded-info'
import { runMigrations } from './migrate'

export type { EmbeddedInfo } from './embedded-info'
export { EMBEDDED_INFO_FILE, readEmbeddedInfo } from './embedded-info'

export const EMBEDDED_DEFAULT_PORT = 7845

export type EmbeddedPostgresOptions = {
  /** Holds `pgdata/` (the database) and `embedded.json` (how to reach it while it runs). */
  dataDir: string
  host?: string
  /** 0 picks a free port (see the returned url). */
  port?: number
  /** For bundled apps that ship the migrations next to their bundle. */
  migrationsFolder?: string
  /** Socket connections allowed at once (pglite-socket's default is 1). */
  maxConnections?: number
}

export type EmbeddedPostgres = {
  /** postgres:// URL of the wire-protocol server, for pg clients. */
  url: string
  /** The database itself, for in-process use (faster, and the only place LISTEN works: see below). */
  pglite: PGlite
  close(): Promise<void>
}

/**
 * The database `pnpm start` uses when none is configured: PGlite (Postgres compiled to WASM) persisted
 * in `<dataDir>/pgdata`, migrated in-process, and served over the Postgres wire protocol so the
 * services and the CLI connect with a normal postgres:// URL.
 *
 * What differs from a real server (pglite-socket 0.2.17, verified in embedded.int.test.ts):
 * - Every socket connection shares ONE session. Statements from different connections are queued one
 *   at a time; an open transaction holds the others until it ends; SET, application_name and
 *   statement_timeout apply to everybody (the startup parameters are ignored).
 * - LISTEN/NOTIFY does not cross the socket, and `pglite.listen()` in this process only hears
 *   notifications raised by statements run through `pglite` itself, not through the socket. The
 *   triggers still bump config_state.version, so readers over the socket must poll
 *   readConfigVersion() to notice changes.
 * - Nothing else may open the same data dir at the same time: startEmbeddedPostgres refuses while
 *   `embedded.json` names a live process (this one included).
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { dataDir } = opts
  const host = opts.host ?? '127.0.0.1'
  const running = await readEmbeddedInfo(dataDir)
  if (running !== null) {
    throw new Error(
      `embedded Postgres for ${dataDir} is already running (pid ${running.pid}, ${running.url}): stop the \`gatekeeper start\` that runs it (Ctrl-C in its terminal), or give this one another data folder (GATEKEEPER_DATA_DIR or --data-dir)`,
    )
  }
  await mkdir(dataDir, { recursive: true })
  const pglite = await PGlite.create({ dataDir: join(dataDir, 'pgdata') })
  let server: PGLiteSocketServer | undefined
  try {
    await runMigrations({ pglite }, { migrationsFolder: opts.migrationsFolder })
    server = new PGLiteSocketServer({
      db: pglite,
      host,
      port: opts.port ?? EMBEDDED_DEFAULT_PORT,
      maxConnections: opts.maxConnections ?? 100,
    })
    await server.start()
    // getServerConn() reports the bound port, which matters when 0 was asked for.
    const bound = server.getServerConn()
    const port = bound.slice(bound.lastIndexOf(':') + 1)
    const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host
    const url = `postgres://postgres@${urlHost}:${port}/postgres`
    await writeEmbeddedInfo(dataDir, { url, pid: process.pid, startedAt: new Date().toISOString() })

    const started = server
    let closing: Promise<void> | undefined
    return {
      url,
      pglite,
      close() {
        closing ??= (async () => {
          await started.stop()
          await pglite.close()
          await removeEmbeddedInfo(dataDir)
        })()
        return closing
      },
    }
  } catch (err) {
    await server?.stop().catch(() => undefined)
    await pglite.close().catch(() => undefined)
    throw err
  }
}
