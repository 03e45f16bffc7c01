import type { AdminTokenKind, AdminTokenScope } from '@gatekeeper/models'
import { sql } from 'drizzle-orm'
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { createdAt } from './columns'

/**
 * Bearer tokens for the admin API that console-api checks itself: named API tokens for automation
 * (`kind = 'api'`) and the short-lived sessions local sign-in links exchange for (`local_session`).
 * Only the SHA-256 digest of a token is kept, plus a display prefix and last four characters.
 * Revoked rows stay, so the audit log's actors keep a meaning.
 */
export const adminTokens = pgTable(
  'admin_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').$type<AdminTokenKind>().notNull(),
    name: text('name').notNull(),
    scope: text('scope').$type<AdminTokenScope>().notNull(),
    tokenDigest: text('token_digest').notNull(),
    tokenPrefix: text('token_prefix').notNull(),
    tokenLast4: text('token_last4').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('admin_tokens_token_digest_key').on(t.tokenDigest),
    // The name is the audit actor: two live API tokens may not share it.
    uniqueIndex('admin_tokens_live_name_key').on(t.name).where(sql`${t.kind} = 'api' AND ${t.revokedAt} IS NULL`),
    index('admin_tokens_kind_created_idx').on(t.kind, t.createdAt),
    check('admin_tokens_kind_check', sql`${t.kind} IN ('api', 'local_session')`),
    check('admin_tokens_scope_check', sql`${t.scope} IN ('read', 'write')`),
    check('admin_tokens_name_check', sql`${t.name} ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'`),
    check('admin_tokens_digest_check', sql`${t.tokenDigest} ~ '^[0-9a-f]{64}$'`),
  ],
)

/**
 * One-time local sign-in links (`gatekeeper start` prints one when local sign-in is on). Stored as a
 * digest; `used_at` is set by the single exchange that may succeed.
 */
export const localSignInCodes = pgTable(
  'local_sign_in_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    codeDigest: text('code_digest').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('local_sign_in_codes_code_digest_key').on(t.codeDigest),
    check('local_sign_in_codes_digest_check', sql`${t.codeDigest} ~ '^[0-9a-f]{64}$'`),
  ],
)

export type AdminToken = typeof adminTokens.$inferSelect
export type NewAdminToken = typeof adminTokens.$inferInsert
export type LocalSignInCode = typeof localSignInCodes.$inferSelect
