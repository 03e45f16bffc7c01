import type { ActorType } from '@gatekeeper/models'
import type { ExtractTablesWithRelations } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core'
import type { Schema } from '../client'

/** Who made a change, as the audit log records it. */
export type Actor = {
  /** The admin's email or Aegis id, the operator's OS user, 'aegis' for webhooks. */
  actor: string
  actorType: ActorType
  requestId?: string | null
}

/** A node-postgres (createDb) or PGlite drizzle database: the operations only use the query builder. */
export type AdminDatabase = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>

/** The transaction every admin write runs in (with its audit row). */
export type AdminTx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>

/** Reads run on the database or inside a write's transaction. */
export type Queryable = AdminDatabase | AdminTx

/** What delete operations report as removed with the entity (by the foreign keys' ON DELETE CASCADE). */
export type Cascaded<K extends string> = Record<K, number>
