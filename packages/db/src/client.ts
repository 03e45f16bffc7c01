import type { ExtractTablesWithRelations } from 'drizzle-orm'
import { drizzle, type NodePgDatabase, type NodePgQueryResultHKT } from 'drizzle-orm/node-postgres'
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core'
import { Pool } from 'pg'
import * as schema from './schema'

export type Schema = typeof schema
/** The drizzle database createDb returns; `$client` is its pool. */
export type Database = NodePgDatabase<Schema> & { $client: Pool }
/** What helpers that only query accept: a node-postgres or a PGlite drizzle database. */
export type AnyDatabase = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>
export type Tx = PgTransaction<NodePgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>

export type CreateDbOptions = {
  /** Pool size (default 10). */
  max?: number
  /** Shown in pg_stat_activity, e.g. 'gatekeeper-authz'. */
  applicationName?: string
  /** Server-side limit for every statement on these connections. */
  statementTimeoutMs?: number
  /**
   * Errors of idle pooled connections (server restart, network cut). pg emits them on the pool, and an
   * unhandled 'error' event would kill the process; the pool drops the broken client and reconnects.
   */
  onError?: (err: Error) => void
}

export type DbHandle = { db: Database; pool: Pool; close(): Promise<void> }

export function createDb(url: string, opts: CreateDbOptions = {}): DbHandle {
  const pool = new Pool({
    connectionString: url,
    max: opts.max ?? 10,
    application_name: opts.applicationName,
    statement_timeout: opts.statementTimeoutMs,
  })
  const onError = opts.onError ?? ((err: Error) => process.emitWarning(`gatekeeper db pool: ${err.message}`))
  pool.on('error', (err) => onError(err))
  const db = drizzle(pool, { schema })
  let closing: Promise<void> | undefined
  return {
    db,
    pool,
    close() {
      closing ??= pool.end()
      return closing
    },
  }
}
