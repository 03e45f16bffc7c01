import { ApiError } from '@gatekeeper/models'
import { eq } from 'drizzle-orm'
import type { PgTransactionConfig } from 'drizzle-orm/pg-core'
import { configState } from '../schema'
import { toApiError } from './errors'
import type { AdminDatabase, AdminTx } from './types'
import { versionMatches } from './views'

/**
 * Runs a write and its audit row in one transaction; database failures come out as ApiErrors
 * (409/404/400) or an AdminDatabaseError, never with SQL text.
 */
export async function inTransaction<T>(
  db: AdminDatabase,
  fn: (tx: AdminTx) => Promise<T>,
  config?: PgTransactionConfig,
): Promise<T> {
  try {
    return await db.transaction(fn, config)
  } catch (err) {
    throw toApiError(err)
  }
}

/** A read, with the same error mapping as writes. */
export async function reading<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    throw toApiError(err)
  }
}

/**
 * Takes the config writers' lock (the config_state row the change-feed triggers lock on a transaction's
 * first change) before anything else. Every config write takes it anyway; taking it first means admin
 * writes never hold a row lock while waiting for it, so two of them cannot deadlock (a route delete
 * against a concurrent grant on that route, say), and each reads the rows it checks (versions)
 * after the previous writer committed.
 */
export async function lockConfigWriters(tx: AdminTx): Promise<void> {
  await tx.select({ id: configState.id }).from(configState).where(eq(configState.id, 1)).for('update')
}

/**
 * The start of a write to one versioned entity: the config writers' lock, then the entity's own row lock (`lockRow`,
 * which throws its 404), then the caller's expected version checked against the locked row (412 when it moved on).
 */
export async function lockVersioned<T extends { version: number }>(
  tx: AdminTx,
  lockRow: (tx: AdminTx) => Promise<T>,
  expectedVersion: number | undefined,
): Promise<T> {
  await lockConfigWriters(tx)
  const current = await lockRow(tx)
  if (!versionMatches(current.version, expectedVersion)) throw ApiError.preconditionFailed()
  return current
}
