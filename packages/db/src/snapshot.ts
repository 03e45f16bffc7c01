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
