import { uuid } from 'drizzle-orm/pg-core'
import { clients } from './clients'

// A module of its own: the table modules and clients.ts import each other, and this must not be evaluated in
// the middle of that cycle before the tables that call it (drizzle-kit loads the schema through require).

/** The client a row belongs to: the row goes when its client is deleted. */
export const owningClientId = () => uuid('client_id').references(() => clients.id, { onDelete: 'cascade' })
