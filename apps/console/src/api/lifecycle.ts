import {
  auditEntryWireSchema,
  clientWireSchema,
  credentialKindSchema,
  epochSecondsSchema,
  expiresAtSchema,
  ipAllowlistSchema,
} from '@gatekeeper/models'
import { z } from 'zod'

// Answers of the key-lifecycle, usage and change-set endpoints as the console reads them. Every field that a
// console-api may not have yet is optional here: the page hides what is absent instead of failing to load.

const nullableTime = epochSecondsSchema.nullable().optional()

/** One credential of a client: an API key or HMAC secret, the current one or the previous (in its grace). */
const credentialWireSchema = z.object({
  credential_id: z.string(),
  kind: credentialKindSchema,
  prefix: z.string().nullable().optional(),
  created_at: epochSecondsSchema,
  expires_at: nullableTime,
  last_used_at: nullableTime,
  ip_allowlist: z.array(z.string()).nullable().optional(),
  state: z.enum(['current', 'previous']),
})

/** `GET /api/admin/clients/:id`: the client, plus its metadata, last use and credentials where served. */
export const clientDetailSchema = clientWireSchema.extend({
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
  last_used_at: nullableTime,
  credentials: z.array(credentialWireSchema).optional(),
})
export type ClientDetail = z.output<typeof clientDetailSchema>

/** A client in the list; `last_used_at` is absent from a console-api that does not track last use. */
export const clientListItemSchema = clientWireSchema.extend({ last_used_at: nullableTime })
export type ClientListItem = z.output<typeof clientListItemSchema>

/** `PUT /api/admin/clients/:id/credentials/:credential_id`: at least one field. */
export const credentialUpdateSchema = z
  .object({ expires_at: expiresAtSchema.optional(), ip_allowlist: ipAllowlistSchema.optional() })
  .refine((value) => value.expires_at !== undefined || value.ip_allowlist !== undefined, {
    message: 'change the expiry or the IP allowlist',
  })
export type CredentialUpdateInput = z.output<typeof credentialUpdateSchema>

const USAGE_WINDOWS = ['24h', '30d'] as const
export type UsageWindow = (typeof USAGE_WINDOWS)[number]

const count = z.number().int().nonnegative()

const usageBucketSchema = z.object({
  start: epochSecondsSchema,
  allowed: count,
  refused: count,
  rate_limited: count,
  refused_by_reason: z.record(z.string(), count).optional(),
})

/** `GET /api/admin/clients/:id/usage?window=`: hourly (24 h) or daily (30 d) counts. */
export const clientUsageSchema = z.object({
  client_id: z.string(),
  window: z.string(),
  bucket_seconds: z.number().int().positive(),
  buckets: z.array(usageBucketSchema),
  totals: z.object({ allowed: count, refused: count, rate_limited: count }),
})
export type ClientUsage = z.output<typeof clientUsageSchema>

/** Ids and versions are read as text whichever way the server spells them. */
const idText = z.union([z.string(), z.number()]).transform(String)

const changesetSummarySchema = z.object({
  id: idText,
  applied_at: epochSecondsSchema,
  actor: z.string(),
  creates: count,
  updates: count,
  deletes: count,
  config_version: idText.nullable().optional(),
})

export const changesetPageSchema = z.object({
  changesets: z.array(changesetSummarySchema),
  next_cursor: idText.nullable().optional(),
})
export type ChangesetPage = z.output<typeof changesetPageSchema>

/**
 * An audit entry read leniently: a change set may record entity or actor types this console does not know
 * yet, and showing them as text beats refusing the whole change set.
 */
const looseAuditEntrySchema = auditEntryWireSchema.extend({ actor_type: z.string(), entity_type: z.string() })
export type LooseAuditEntry = z.output<typeof looseAuditEntrySchema>

export const changesetDetailSchema = z.object({
  id: idText,
  applied_at: epochSecondsSchema,
  actor: z.string(),
  entries: z.array(looseAuditEntrySchema),
  /** All entries of the change set; `entries` may be its first page only. */
  entries_total: count.optional(),
  creates: count.optional(),
  updates: count.optional(),
  deletes: count.optional(),
  config_version: idText.nullable().optional(),
})
