import type { ExtractTablesWithRelations } from 'drizzle-orm'
import { drizzle, type NodePgDatabase, type NodePgQueryResultHKT } from 'drizzle-orm/node-postgres'
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core'
import { Pool } from 'pg'
import { connectionFactory } from './hosts'
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
  /** How long opening a connection may take (default 5000 ms); past it the query fails instead of waiting. */
  connectTimeoutMs?: number
  /**
   * Errors of idle pooled connections (server restart, network cut). pg emits them on the pool, and an
   * unhandled 'error' event would kill the process; the pool drops the broken client and reconnects.
   */
  onError?: (err: Error) => void
}

export type DbHandle = { db: Database; pool: Pool; close(): Promise<void> }

/**
 * A pool on DATABASE_URL. A URL with several hosts (`postgres://u@h1:5432,h2:5432/db?target_session_attrs=read-write`)
 * is read as libpq does: new connections go to the first host with the wanted session attributes (hosts.ts).
 */
export function createDb(url: string, opts: CreateDbOptions = {}): DbHandle {
  const connectTimeoutMs = opts.connectTimeoutMs ?? 5000
  const factory = connectionFactory(url, {
    application_name: opts.applicationName,
    connectionTimeoutMillis: connectTimeoutMs,
  })
  const pool = new Pool(
    factory.poolConfig({
      max: opts.max ?? 10,
      application_name: opts.applicationName,
      statement_timeout: opts.statementTimeoutMs,
      connectionTimeoutMillis: connectTimeoutMs,
    }),
  )
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
