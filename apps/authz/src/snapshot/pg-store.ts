// ConfigStore on node-postgres: one dedicated Client per LISTEN session, which also serves the full snapshot
// loads, the row re-reads after notifications and the version checks (the manager runs one of them at a time;
// notifications that arrive during a load's transaction are held by the server and delivered after it, and the
// manager applies them after the load anyway). A pool of one connection, closed a moment after use, serves only
// while the LISTEN connection is down. So a replica holds ONE connection on the primary, also while loading,
// and a change makes no replica open one: with many replicas that is the difference between N and up to 3N
// backends, and between N backend forks per change (a pool whose idle connection had timed out) and none. Every
// wait is bounded, so a database that stops answering (network cut, not just refused connections) turns into an
// error the manager reacts to rather than a hang.

import {
  CONFIG_CHANNEL,
  connectionFactory,
  loadChangedRow,
  readConfigVersion,
  type SnapshotSink,
  streamSnapshot,
  type WatchedRow,
  type WatchedTable,
} from '@gatekeeper/db'
import pg from 'pg'
import type { ConfigStore, ListenConnection, ListenHandlers } from './store'

export interface PgConfigStoreOptions {
  url: string
  /** Shown in pg_stat_activity; the LISTEN connection gets `<name>-listen`. */
  applicationName: string
  connectTimeoutMs?: number
  /** Bounds every query, the full snapshot load included. */
  queryTimeoutMs?: number
  /** Bounds the version check on the LISTEN connection (it should take a millisecond). */
  versionTimeoutMs?: number
  /** Errors of idle pooled connections; without a handler pg would crash the process. */
  onPoolError?: (err: Error) => void
  /** How long the fallback pool's connection stays open after use (default 1000 ms). */
  snapshotIdleMs?: number
}

export type PgConfigStore = ConfigStore & { pool: pg.Pool; close(): Promise<void> }

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms)
  })
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err))
}

export function createPgConfigStore(options: PgConfigStoreOptions): PgConfigStore {
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000
  const queryTimeoutMs = options.queryTimeoutMs ?? 120_000
  const versionTimeoutMs = options.versionTimeoutMs ?? 3000
  const rowTimeoutMs = Math.max(versionTimeoutMs, 10_000)
  // A multi-host DATABASE_URL (target_session_attrs=read-write) makes the pool and the LISTEN connection follow
  // the primary through a failover; both share one host picker (packages/db hosts.ts).
  const connections = connectionFactory(options.url, {
    application_name: options.applicationName,
    connectionTimeoutMillis: connectTimeoutMs,
  })
  const pool = new pg.Pool(
    connections.poolConfig({
      max: 1,
      application_name: options.applicationName,
      connectionTimeoutMillis: connectTimeoutMs,
      query_timeout: queryTimeoutMs,
      idleTimeoutMillis: options.snapshotIdleMs ?? 1000,
      keepAlive: true,
    }),
  )
  pool.on('error', (err) => options.onPoolError?.(err))

  // The LISTEN connection in use, which loads and row re-reads go through (the manager runs one at a time,
  // between its version checks on the same connection). Without one (reconnecting), they go through the pool.
  let live: { client: pg.Client; lose(err: unknown): void } | undefined

  async function readSnapshot(sink: SnapshotSink): Promise<{ version: number }> {
    const current = live
    if (current === undefined) return streamSnapshot(pool, sink)
    try {
      return await streamSnapshot(current.client, sink)
    } catch (err) {
      // Its transaction state is unknown unless the server itself refused a statement: drop the connection.
      if (!(err instanceof Error && 'severity' in err)) current.lose(err)
      throw asError(err)
    }
  }

  async function readRow<T extends WatchedTable>(table: T, id: string): Promise<WatchedRow[T] | null> {
    const current = live
    if (current === undefined) return loadChangedRow(pool, table, id)
    try {
      return await withDeadline(loadChangedRow(current.client, table, id), rowTimeoutMs, 'changed row read')
    } catch (err) {
      // Timed out or the connection broke: drop it (the manager reconnects and checks the version); a statement
      // error leaves it be. Either way the manager falls back to a full reload.
      if (!(err instanceof Error && 'severity' in err)) current.lose(err)
      throw asError(err)
    }
  }

  async function listen(handlers: ListenHandlers): Promise<ListenConnection> {
    const client = connections.client({
      application_name: `${options.applicationName}-listen`,
      connectionTimeoutMillis: connectTimeoutMs,
      query_timeout: queryTimeoutMs,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    })
    let lost = false
    let closing = false
    const lose = (err: unknown) => {
      if (live?.client === client) live = undefined
      if (lost || closing) return
      lost = true
      handlers.onLost(asError(err))
      client.end().catch(() => undefined)
    }
    client.on('error', lose)
    client.on('end', () => lose(new Error('LISTEN connection ended')))
    client.on('notification', (msg) => {
      if (msg.channel === CONFIG_CHANNEL && msg.payload !== undefined) handlers.onNotification(msg.payload)
    })
    try {
      await withDeadline(client.connect(), connectTimeoutMs + 1000, 'connect')
      await withDeadline(client.query(`LISTEN ${CONFIG_CHANNEL}`), versionTimeoutMs, 'LISTEN')
    } catch (err) {
      closing = true
      client.end().catch(() => undefined)
      throw asError(err)
    }
    live = { client, lose }
    return {
      async readVersion() {
        try {
          return await withDeadline(readConfigVersion(client), versionTimeoutMs, 'config version check')
        } catch (err) {
          // A connection that cannot answer a one-row read is as good as gone: drop it, the manager reconnects.
          lose(err)
          throw asError(err)
        }
      },
      async close() {
        closing = true
        if (live?.client === client) live = undefined
        await withDeadline(client.end(), 2000, 'close').catch(() => undefined)
      },
    }
  }

  let closed: Promise<void> | undefined
  return {
    pool,
    streamSnapshot: readSnapshot,
    loadChangedRow: readRow,
    listen,
    close() {
      closed ??= pool.end()
      return closed
    },
  }
}
