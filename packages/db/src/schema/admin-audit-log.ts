import { sql } from 'drizzle-orm'
import { bigint, check, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core'
import { actorColumns } from './columns'

/**
 * Append-only record of admin changes. `before`/`after` hold the entity as the API shows it and must
 * never contain a raw credential (callers pass redacted shapes).
 */
export const adminAuditLog = pgTable(
  'admin_audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    ...actorColumns(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    requestId: text('request_id'),
  },
  (t) => [
    index('admin_audit_log_at_idx').on(t.at),
    index('admin_audit_log_entity_idx').on(t.entityType, t.entityId),
    index('admin_audit_log_actor_idx').on(t.actor),
    index('admin_audit_log_request_id_idx').on(t.requestId),
    check(
      'admin_audit_log_actor_type_check',
      sql`${t.actorType} IN ('console_admin', 'cli', 'webhook', 'system', 'admin_token', 'local_admin')`,
    ),
  ],
)

export type AdminAuditEntry = typeof adminAuditLog.$inferSelect
export type NewAdminAuditEntry = typeof adminAuditLog.$inferInsert
