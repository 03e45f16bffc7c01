/** The channel the config triggers (migration 0001_config_notify) notify on. */
export const CONFIG_CHANNEL = 'gatekeeper_config'

/**
 * The tables whose every row change bumps config_state.version and is announced (one version and one batch
 * notification for a whole transaction that sets gatekeeper.config_batch: a configuration file applied).
 */
export const WATCHED_TABLES = ['routes', 'clients', 'client_credentials', 'client_permissions', 'rate_limits'] as const
export type WatchedTable = (typeof WATCHED_TABLES)[number]

export type ConfigOp = 'insert' | 'update' | 'delete'

export type ConfigNotification = {
  table: WatchedTable
  op: ConfigOp
  /** The row's id (for rate_limits, its client_id). */
  id: string
  /** The owning client for tables that have one (credentials, permissions, rate limits), else null. */
  clientId: string | null
  /**
   * The config version this change produced. Versions are consecutive and follow commit order: after
   * a snapshot taken at version N, apply exactly the notifications above N; a gap means one was missed.
   */
  version: number
}

const OPS: readonly string[] = ['insert', 'update', 'delete']

export function isWatchedTable(table: string): table is WatchedTable {
  return (WATCHED_TABLES as readonly string[]).includes(table)
}

function isConfigOp(op: unknown): op is ConfigOp {
  return typeof op === 'string' && OPS.includes(op)
}

/**
 * A batch (a configuration file applied): every row it changed committed as this one version, announced by
 * this one notification. It names no rows, so a listener reloads its snapshot. `batch` is the change-set id.
 */
export type ConfigBatchNotification = { batch: string; version: number }

function payloadObject(payload: string): Record<string, unknown> | null {
  let value: unknown
  try {
    value = JSON.parse(payload)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  return value as Record<string, unknown>
}

function isVersion(version: unknown): version is number {
  return typeof version === 'number' && Number.isSafeInteger(version) && version >= 1
}

/** Parses any gatekeeper_config payload, a row change or a batch; null for anything malformed. Never throws. */
export function parseConfigFeedMessage(payload: string): ConfigNotification | ConfigBatchNotification | null {
  const value = payloadObject(payload)
  if (value?.table !== '*') return parseConfigNotification(payload)
  const { op, id, version } = value
  if (op !== 'batch' || typeof id !== 'string' || id === '' || !isVersion(version)) return null
  return { batch: id, version }
}

/** Parses a row change's gatekeeper_config payload; null for anything malformed (or a batch). Never throws. */
export function parseConfigNotification(payload: string): ConfigNotification | null {
  const value = payloadObject(payload)
  if (value === null) return null
  const { table, op, id, client_id: clientId, version } = value
  if (typeof table !== 'string' || !isWatchedTable(table)) return null
  if (!isConfigOp(op)) return null
  if (typeof id !== 'string' || id === '') return null
  if (clientId !== null && (typeof clientId !== 'string' || clientId === '')) return null
  if (!isVersion(version)) return null
  return { table, op, id, clientId, version }
}
