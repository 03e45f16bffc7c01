import type { ActorType } from '@gatekeeper/models'
import { sql } from 'drizzle-orm'
import { text, timestamp } from 'drizzle-orm/pg-core'

/** The seven methods (HTTP_METHODS in @gatekeeper/models) as a literal for CHECK constraints. */
export const httpMethodsArraySql = sql.raw(`ARRAY['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']::text[]`)

export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow()

/**
 * Spread into tables that are edited in place. drizzle sets updated_at to the database's now() on
 * every update it builds; raw SQL updates must set it themselves.
 */
export const timestamps = {
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => sql`now()`),
}

/** Who made a change (ActorType in @gatekeeper/models), as the audit log and the config change sets record it. */
export const actorColumns = () => ({
  actor: text('actor').notNull(),
  actorType: text('actor_type').$type<ActorType>().notNull(),
})
