import type { PGlite, Transaction } from '@electric-sql/pglite'
import { Client, Pool, type PoolClient, types } from 'pg'

type SourceClient = Pool | Client | PoolClient | PGlite

/**
 * Where config is read from: a pg Pool, a connected pg Client (also a checked-out PoolClient), a
 * PGlite instance, or a drizzle database over any of them.
 */
export type ConfigSource = SourceClient | { $client: SourceClient }

/** Runs one statement and returns its rows as arrays, in select-list order. */
export type RowQuery = (text: string, params?: unknown[]) => Promise<unknown[][]>

type TypeId = Parameters<typeof types.getTypeParser>[0]
const TIMESTAMPTZ_OID = types.builtins.TIMESTAMPTZ
const TEXT_ARRAY_OID = 1009 as TypeId // text[]: not in pg's builtins list

function parseTimestamptz(text: string): Date {
  // V8 reads Postgres' ISO output ('2026-01-02 03:04:05.678901+00', '+05:30') directly, several times
  // faster than pg's generic parser; only the infinities need help.
  if (text === 'infinity') return new Date(8.64e15)
  if (text === '-infinity') return new Date(-8.64e15)
  return new Date(text)
}

const defaultTextArray: (text: string) => unknown = types.getTypeParser(TEXT_ARRAY_OID, 'text')

function parseTextArray(text: string): string[] {
  // Fast path for the arrays stored here (allowed_methods: CHECK-limited to bare upper-case words);
  // anything quoted or escaped goes to pg's full parser.
  if (text === '{}') return []
  if (/^\{[A-Z]+(,[A-Z]+)*\}$/.test(text)) return text.slice(1, -1).split(',')
  return defaultTextArray(text) as string[]
}

const pgTypes = {
  getTypeParser(oid: TypeId, format?: 'text' | 'binary'): (text: string) => unknown {
    if (oid === TIMESTAMPTZ_OID) return parseTimestamptz
    if (oid === TEXT_ARRAY_OID) return parseTextArray
    return types.getTypeParser(oid, format)
  },
}

function pgRowQuery(client: Pool | Client | PoolClient): RowQuery {
  return async (text, params) => {
    const res = await client.query<unknown[]>({ text, values: params, rowMode: 'array', types: pgTypes })
    return res.rows
  }
}

function pgliteRowQuery(db: PGlite | Transaction): RowQuery {
  return async (text, params) => (await db.query<unknown[]>(text, params, { rowMode: 'array' })).rows
}

function unwrap(source: ConfigSource): SourceClient {
  return '$client' in source ? source.$client : source
}

function isPg(client: SourceClient): client is Pool | Client | PoolClient {
  return client instanceof Pool || client instanceof Client
}

/** A single statement outside any explicit transaction. */
export function rowQuery(source: ConfigSource): RowQuery {
  const client = unwrap(source)
  return isPg(client) ? pgRowQuery(client) : pgliteRowQuery(client)
}

const BEGIN_SNAPSHOT = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY'

/** Runs `fn` inside one REPEATABLE READ READ ONLY transaction, so every statement sees the same commit. */
export async function inReadSnapshot<T>(source: ConfigSource, fn: (query: RowQuery) => Promise<T>): Promise<T> {
  const client = unwrap(source)
  if (!isPg(client)) {
    return client.transaction(async (tx) => {
      await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY')
      return fn(pgliteRowQuery(tx))
    })
  }
  if (!(client instanceof Pool)) {
    await client.query(BEGIN_SNAPSHOT)
    try {
      const result = await fn(pgRowQuery(client))
      await client.query('COMMIT')
      return result
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined)
      throw err
    }
  }
  const conn = await client.connect()
  try {
    await conn.query(BEGIN_SNAPSHOT)
    const result = await fn(pgRowQuery(conn))
    await conn.query('COMMIT')
    conn.release()
    return result
  } catch (err) {
    // A connection whose transaction state is unknown must not go back to the pool.
    conn.release(err instanceof Error ? err : new Error(String(err)))
    throw err
  }
}
