import { getTableColumns, sql } from 'drizzle-orm'
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { AdminTx } from './types'

/** Rows per statement for bulk writes. */
const BULK_CHUNK = 1000

export function chunked<T>(items: readonly T[], size = BULK_CHUNK): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** A column of a bulk insert: its name and SQL type (both constants of our code, never input). */
export type BulkColumn = readonly [name: string, type: string]

/** The bulk columns for `table`'s fields `keys`, named and typed as the schema declares them. */
export function bulkColumns<T extends PgTable>(table: T, keys: ReadonlyArray<keyof T['_']['columns'] & string>) {
  // Every key is a column of the table (its type says so), so the lookup always finds one.
  const columns = getTableColumns(table) as Record<string, PgColumn>
  return keys.map((key): BulkColumn => {
    const column = columns[key] as PgColumn
    return [column.name, column.getSQLType()]
  })
}

/**
 * `INSERT INTO table (columns) SELECT columns FROM jsonb_to_recordset($1)`: the rows travel as one JSON
 * parameter per chunk, keyed by column name. Building a multi-row VALUES list with one bind parameter per
 * value costs several times more (query text and parameters for 1,000 rows x 10 columns, on every chunk).
 * Columns not listed take their defaults. Answers the `returning` columns of every inserted row, in no
 * particular order.
 */
export async function insertRecords<R extends Record<string, unknown> = Record<string, unknown>>(
  tx: AdminTx,
  table: string,
  columns: readonly BulkColumn[],
  rows: ReadonlyArray<Record<string, unknown>>,
  returning?: string,
): Promise<R[]> {
  const names = columns.map(([name]) => `"${name}"`).join(', ')
  const types = columns.map(([name, type]) => `"${name}" ${type}`).join(', ')
  const out: R[] = []
  for (const chunk of chunked(rows)) {
    const result = await tx.execute(
      sql`INSERT INTO ${sql.raw(`"${table}"`)} (${sql.raw(names)}) SELECT ${sql.raw(names)} FROM jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) AS u(${sql.raw(types)})${sql.raw(returning === undefined ? '' : ` RETURNING ${returning}`)}`,
    )
    // node-postgres (also in front of the embedded database): a QueryResult.
    out.push(...((result as { rows: R[] }).rows ?? []))
  }
  return out
}
