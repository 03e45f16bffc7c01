import { startPrivatePostgres as startServer } from '@gatekeeper/db/test-support/postgres-servers'

// A PostgreSQL cluster of the fault script's own (initdb into a temporary directory, pg_ctl on a random
// loopback port, its socket in that directory), so it can be stopped and restarted while other suites use the
// machine's shared server undisturbed. The server itself comes from the db package's test support (as root,
// every command runs as `postgres`; PG_BIN picks the binaries).

export interface PrivatePostgres {
  port: number
  /** postgres://postgres@127.0.0.1:<port>/<db> */
  url(database?: string): string
  createDatabase(name: string): Promise<string>
  stop(mode?: 'fast' | 'immediate'): void
  start(): void
  /** Stops the server and removes its directory. */
  destroy(): void
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const pg = await startServer({ settings: ['synchronous_commit=off'] })
  return {
    port: pg.server.port,
    url: (database) => pg.server.url(database),
    createDatabase: (name) => pg.createDatabase(name),
    stop: (mode = 'fast') => pg.server.stop(mode),
    start: () => pg.server.start(),
    destroy: () => pg.destroy(),
  }
}
