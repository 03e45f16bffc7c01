// A scripted ConfigStore for the snapshot manager's unit tests: an in-memory "database" whose version and
// rows the test changes, with notifications it delivers (or withholds) and a LISTEN connection it can kill.

import type { ConfigSnapshot, SnapshotSink, WatchedRow, WatchedTable } from '@gatekeeper/db'
import type { ConfigStore, ListenConnection, ListenHandlers } from '../../src/snapshot/store'

type Rows = { [T in WatchedTable]: Map<string, WatchedRow[T]> }

const KEY: { [T in WatchedTable]: (row: WatchedRow[T]) => string } = {
  routes: (r) => r.id,
  clients: (r) => r.id,
  client_credentials: (r) => r.id,
  client_permissions: (r) => r.id,
  rate_limits: (r) => r.clientId,
}

export class FakeConfigStore implements ConfigStore {
  version = 0
  readonly rows: Rows = {
    routes: new Map(),
    clients: new Map(),
    client_credentials: new Map(),
    client_permissions: new Map(),
    rate_limits: new Map(),
  }
  /** Make the next calls fail (the database is "down"). */
  down = false
  /** Resolves loadSnapshot only when the test releases it. */
  holdSnapshot: Promise<void> | undefined
  loads = 0
  rowReads: Array<{ table: WatchedTable; id: string }> = []
  listens = 0
  versionReads = 0
  private handlers: ListenHandlers | undefined

  private fail(): void {
    if (this.down) throw new Error('connection refused')
  }

  /** Commits a change: bumps the version and, unless `silent`, notifies the listener. */
  change<T extends WatchedTable>(table: T, row: WatchedRow[T] | { delete: string }, opts: { silent?: boolean } = {}) {
    const map = this.rows[table] as Map<string, WatchedRow[T]>
    let id: string
    let op: 'insert' | 'update' | 'delete'
    if ('delete' in row) {
      id = row.delete
      op = 'delete'
      map.delete(id)
    } else {
      id = KEY[table](row)
      op = map.has(id) ? 'update' : 'insert'
      map.set(id, row)
    }
    this.version++
    if (!opts.silent) this.notify(JSON.stringify({ table, op, id, client_id: null, version: this.version }))
    return this.version
  }

  notify(payload: string): void {
    this.handlers?.onNotification(payload)
  }

  /** The LISTEN connection breaks. */
  kill(): void {
    const h = this.handlers
    this.handlers = undefined
    h?.onLost(new Error('terminating connection due to administrator command'))
  }

  get listening(): boolean {
    return this.handlers !== undefined
  }

  async loadSnapshot(): Promise<ConfigSnapshot> {
    this.fail()
    this.loads++
    const version = this.version
    const copy = {
      routes: [...this.rows.routes.values()],
      clients: [...this.rows.clients.values()],
      credentials: [...this.rows.client_credentials.values()],
      permissions: [...this.rows.client_permissions.values()],
      rateLimits: [...this.rows.rate_limits.values()],
    }
    if (this.holdSnapshot !== undefined) await this.holdSnapshot
    this.fail()
    return { version, loadedAt: new Date(), ...copy }
  }

  /** The same rows as loadSnapshot, handed over the way the real store does (one batch per table here). */
  async streamSnapshot(sink: SnapshotSink): Promise<{ version: number }> {
    const snapshot = await this.loadSnapshot()
    sink.version(snapshot.version)
    sink.routes(snapshot.routes)
    sink.clients(snapshot.clients)
    sink.client_credentials(snapshot.credentials)
    sink.client_permissions(snapshot.permissions)
    sink.rate_limits(snapshot.rateLimits)
    return { version: snapshot.version }
  }

  async loadChangedRow<T extends WatchedTable>(table: T, id: string): Promise<WatchedRow[T] | null> {
    this.fail()
    this.rowReads.push({ table, id })
    return (this.rows[table] as Map<string, WatchedRow[T]>).get(id) ?? null
  }

  async listen(handlers: ListenHandlers): Promise<ListenConnection> {
    this.fail()
    this.listens++
    this.handlers = handlers
    return {
      readVersion: async () => {
        this.versionReads++
        if (this.down) {
          this.kill()
          throw new Error('connection lost')
        }
        return this.version
      },
      close: async () => {
        if (this.handlers === handlers) this.handlers = undefined
      },
    }
  }
}
