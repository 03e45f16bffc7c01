// What the snapshot manager needs from the database, as an interface so its logic (gaps, reloads, reconnects)
// can be tested with a scripted fake as well as against real PostgreSQL.

import type { SnapshotSink, WatchedRow, WatchedTable } from '@gatekeeper/db'

export interface ListenHandlers {
  /** A raw payload that arrived on gatekeeper_config. */
  onNotification(payload: string): void
  /** The connection broke (error or end). Called at most once per connection. */
  onLost(err: Error): void
}

/** A dedicated connection LISTENing on gatekeeper_config. */
export interface ListenConnection {
  /**
   * The committed config version, read on this same connection: a notification committed before the read is
   * normally delivered before its result, and a successful read proves the connection (and LISTEN) is alive.
   */
  readVersion(): Promise<number>
  close(): Promise<void>
}

export interface ConfigStore {
  /** Everything, in one consistent read, handed to `sink` table by table in batches; resolves with its version. */
  streamSnapshot(sink: SnapshotSink): Promise<{ version: number }>
  /** The current row behind a notification, or null when it is gone (or an expired credential). */
  loadChangedRow<T extends WatchedTable>(table: T, id: string): Promise<WatchedRow[T] | null>
  listen(handlers: ListenHandlers): Promise<ListenConnection>
}
