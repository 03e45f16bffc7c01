import type { CredentialKind } from '@gatekeeper/models'
import { relations, sql } from 'drizzle-orm'
import { boolean, check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { clients } from './clients'
import { createdAt } from './columns'
import { owningClientId } from './owning-client'

/**
 * A client's API keys and shared secrets. No raw credential is ever stored: an API key is kept as its
 * SHA-256 digest plus display parts, a shared secret (needed in clear to verify HMAC signatures) is
 * sealed with AES-GCM under a master key (`v1.<keyId>.<iv>.<ct>.<tag>` from @gatekeeper/crypto).
 *
 * Rotation with a grace period keeps the old row with `expires_at` set; `expires_at IS NULL` marks
 * the current credential, of which there is at most one per (client, kind).
 */
export const clientCredentials = pgTable(
  'client_credentials',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clientId: owningClientId().notNull(),
    kind: text('kind').$type<CredentialKind>().notNull(),
    /** Lowercase hex SHA-256 of the raw key; what /authz looks keys up by. */
    apiKeyDigest: text('api_key_digest'),
    /** Display parts for the masked form (`gk_AbCd…wxyz`; a legacy key shows its first 4 characters). */
    apiKeyPrefix: text('api_key_prefix'),
    apiKeyLast4: text('api_key_last4'),
    secretSealed: text('secret_sealed'),
    /** The master key the secret is sealed under, so key rotation can find the rows to re-seal. */
    secretKeyId: text('secret_key_id'),
    /** Imported from the original system: no prefix or checksum in the key. */
    legacy: boolean('legacy').notNull().default(false),
    /** Null while current; set when rotated out, the credential keeps working until then. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /**
     * The expiry an operator set (the admin API's `expires_at` for the credential): past it /authz refuses the
     * credential with `credential_expired`. Kept apart from `expires_at`, which rotation owns and which marks the
     * current credential (null) for the unique index below; an expired row stays loaded, so the refusal names it.
     */
    validUntil: timestamp('valid_until', { withTimezone: true }),
    /**
     * The client IPs / CIDRs this credential is accepted from, on top of the client's own list (both must
     * admit the caller); null: no limit of its own. A rotation copies it to the new credential.
     */
    ipAllowlist: text('ip_allowlist').array(),
    /**
     * When /authz last accepted this credential, written in batches by authz (at most once per flush interval),
     * so it lags by up to that interval. An update of this column alone sends no change notification.
     */
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('client_credentials_api_key_digest_key').on(t.apiKeyDigest).where(sql`${t.apiKeyDigest} IS NOT NULL`),
    uniqueIndex('client_credentials_current_key').on(t.clientId, t.kind).where(sql`${t.expiresAt} IS NULL`),
    index('client_credentials_client_id_idx').on(t.clientId),
    index('client_credentials_secret_key_id_idx').on(t.secretKeyId).where(sql`${t.secretKeyId} IS NOT NULL`),
    check('client_credentials_kind_check', sql`${t.kind} IN ('api_key', 'shared_secret')`),
    // Each kind carries exactly its own columns: a sealed secret on an API key row (or a digest on a
    // secret row) is a bug that could leak one credential as the other.
    check(
      'client_credentials_columns_check',
      sql`(${t.kind} = 'api_key'
        AND ${t.apiKeyDigest} IS NOT NULL AND ${t.apiKeyPrefix} IS NOT NULL AND ${t.apiKeyLast4} IS NOT NULL
        AND ${t.secretSealed} IS NULL AND ${t.secretKeyId} IS NULL)
      OR (${t.kind} = 'shared_secret'
        AND ${t.secretSealed} IS NOT NULL AND ${t.secretKeyId} IS NOT NULL
        AND ${t.apiKeyDigest} IS NULL AND ${t.apiKeyPrefix} IS NULL AND ${t.apiKeyLast4} IS NULL)`,
    ),
    check('client_credentials_api_key_digest_check', sql`${t.apiKeyDigest} ~ '^[0-9a-f]{64}$'`),
    check('client_credentials_api_key_last4_check', sql`char_length(${t.apiKeyLast4}) = 4`),
    check('client_credentials_api_key_prefix_check', sql`${t.legacy} OR ${t.apiKeyPrefix} <> ''`),
    // Only the sealed form fits here (a raw secret would not), and it names the key id it claims.
    check(
      'client_credentials_secret_sealed_check',
      sql`${t.secretSealed} ~ '^v[0-9]+([.][A-Za-z0-9_-]*){4}$' AND split_part(${t.secretSealed}, '.', 2) = ${t.secretKeyId}`,
    ),
  ],
)

export const clientCredentialsRelations = relations(clientCredentials, ({ one }) => ({
  client: one(clients, { fields: [clientCredentials.clientId], references: [clients.id] }),
}))

export type ClientCredential = typeof clientCredentials.$inferSelect
export type NewClientCredential = typeof clientCredentials.$inferInsert
