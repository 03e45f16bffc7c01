import { LIVE_CREDENTIAL, TABLE_READERS, type WatchedRow } from './config-rows'
import type { WatchedTable } from './notify'
import { type ConfigSource, inReadSnapshot, type RowQuery, rowQuery } from './read-session'

export type { ClientRow, CredentialRow, PermissionRow, RateLimitRow, RouteRow, WatchedRow } from './config-rows'
export type { ConfigSource } from './read-session'

/** Everything /authz decides on, as of one committed config version. */
export type ConfigSnapshot = {
  version: number
  loadedAt: Date
  routes: WatchedRow['routes'][]
  clients: WatchedRow['clients'][]
  /** Current credentials plus those rotated out but still in their grace period (check expiresAt on use). */
  credentials: WatchedRow['client_credentials'][]
  permissions: WatchedRow['client_permissions'][]
  rateLimits: WatchedRow['rate_limits'][]
}

const VERSION_SQL = 'SELECT version FROM config_state WHERE id = 1'

async function version(query: RowQuery): Promise<number> {
  const rows = await query(VERSION_SQL)
  return Number(rows[0]?.[0] ?? 0)
}

async function all<T extends WatchedTable>(query: RowQuery, table: T, where?: string): Promise<WatchedRow[T][]> {
  const reader = TABLE_READERS[table]
  const rows = await query(where === undefined ? reader.select : `${reader.select} WHERE ${where}`)
  return rows.map((row) => reader.map(row))
}

/**
 * Loads the whole config in one REPEATABLE READ READ ONLY transaction, so the tables and the version
 * come from the same committed state: the snapshot holds exactly the changes numbered up to `version`,
 * and a listener applies only notifications above it.
 */
export async function loadSnapshot(source: ConfigSource): Promise<ConfigSnapshot> {
  return inReadSnapshot(source, async (query) => ({
    version: await version(query),
    loadedAt: new Date(),
    routes: await all(query, 'routes'),
    clients: await all(query, 'clients'),
    credentials: await all(query, 'client_credentials', LIVE_CREDENTIAL),
    permissions: await all(query, 'client_permissions'),
    rateLimits: await all(query, 'rate_limits'),
  }))
}

/** Receives a streamed snapshot: its version first, then each table's rows in batches, in SNAPSHOT_TABLES order. */
export type SnapshotSink = { version(version: number): void } & TableSinks

type TableSinks = { [T in WatchedTable]: (rows: WatchedRow[T][]) => void }

/** The order streamSnapshot reads the tables in: what other rows refer to comes first. */
export const SNAPSHOT_TABLES: readonly WatchedTable[] = [
  'routes',
  'clients',
  'client_credentials',
  'client_permissions',
  'rate_limits',
]

async function streamTable<T extends WatchedTable>(
  query: RowQuery,
  table: T,
  tables: TableSinks,
  batchSize: number,
): Promise<void> {
  const reader = TABLE_READERS[table]
  const take: TableSinks[T] = tables[table]
  const select = table === 'client_credentials' ? `${reader.select} WHERE ${LIVE_CREDENTIAL}` : reader.select
  await query(`DECLARE gatekeeper_snapshot NO SCROLL CURSOR FOR ${select}`)
  const fetch = `FETCH ${batchSize} FROM gatekeeper_snapshot`
  let next = query(fetch)
  for (;;) {
    const rows = await next
    const more = rows.length === batchSize
    // Ask for the next batch before handing this one over: the server reads it while the consumer works.
    if (more) {
      next = query(fetch)
      next.catch(() => undefined) // awaited next turn; handled now in case the consumer throws first
    }
    if (rows.length > 0) take(rows.map((row) => reader.map(row)))
    if (!more) break
  }
  await query('CLOSE gatekeeper_snapshot')
}

/**
 * The same consistent read as loadSnapshot, handed over in batches of `batchSize` rows through a cursor, so a
 * consumer that compiles rows as they come (authz) never holds the whole configuration as rows: at 100k clients
 * and 200k grants the rows alone are ~160 MB of heap, and with them the process peaked well over the memory it
 * needs afterwards. The next batch is requested before the current one is handed over, so the server
 * and the consumer work at the same time.
 */
export async function streamSnapshot(
  source: ConfigSource,
  sink: SnapshotSink,
  options: { batchSize?: number } = {},
): Promise<{ version: number; loadedAt: Date }> {
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 5000))
  return inReadSnapshot(source, async (query) => {
    const at = { version: await version(query), loadedAt: new Date() }
    sink.version(at.version)
    for (const table of SNAPSHOT_TABLES) await streamTable(query, table, sink, batchSize)
    return at
  })
}

/** The committed config version (0 before any change). */
export async function readConfigVersion(source: ConfigSource): Promise<number> {
  return version(rowQuery(source))
}

/**
 * The current row behind a notification (`id` as notified: for rate_limits the client id), or null
 * when it no longer exists or, for a credential, has expired.
 */
export async function loadChangedRow<T extends WatchedTable>(
  source: ConfigSource,
  table: T,
  id: string,
): Promise<WatchedRow[T] | null> {
  const reader = TABLE_READERS[table]
  const live = table === 'client_credentials' ? ` AND ${LIVE_CREDENTIAL}` : ''
  const rows = await rowQuery(source)(`${reader.select} WHERE ${reader.key} = $1${live}`, [id])
  const row = rows[0]
  return row === undefined ? null : reader.map(row)
}
