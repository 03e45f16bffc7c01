import { z } from 'zod'
import { auditEntryWireSchema } from './audit'
import { MAX_PAGE_LIMIT } from './pagination'
import { defaultedQueryInt, epochSecondsSchema, queryStringSchema } from './primitives'

// The configuration-as-code operations of the admin API (/api/admin/config/...): query strings and answers.

/** `true`/`false` (also 1/0, yes/no) in a query string; absent or empty: false. */
const queryFlag = z.preprocess(
  (value) => (value === undefined || value === '' ? 'false' : value),
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
    .transform((v) => v === 'true' || v === '1' || v === 'yes'),
)

export const configFormatSchema = z.enum(['yaml', 'json'])
export type ConfigFormat = z.output<typeof configFormatSchema>

export const configExportQuerySchema = z.object({
  format: z.preprocess((v) => (v === '' ? undefined : v), configFormatSchema.optional()),
})

export const configPlanQuerySchema = z.object({
  prune: queryFlag.describe('Plan deletes of live entities the file does not name.'),
})

const FINGERPRINT = /^[0-9a-f]{64}$/

export const configApplyQuerySchema = z
  .object({
    prune: queryFlag.describe('Delete live entities the file does not name.'),
    expected_version: z
      .preprocess(
        (v) => (v === '' ? undefined : v),
        z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
      )
      .describe('The config_version the plan answered with.'),
    expected_fingerprint: z
      .preprocess(
        (v) => (v === '' ? undefined : v),
        z.string().regex(FINGERPRINT, 'expected the 64 hex digits plan answered with').optional(),
      )
      .describe('The fingerprint the plan answered with.'),
  })
  .refine((q) => q.expected_version !== undefined || q.expected_fingerprint !== undefined, {
    message: 'give expected_version and/or expected_fingerprint, as POST /api/admin/config/plan answered',
    path: ['expected_fingerprint'],
  })

export const configFieldChangeSchema = z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })

export const configPlanChangeSchema = z.object({
  action: z.enum(['create', 'update', 'delete']),
  kind: z.enum(['route', 'client', 'permission', 'rate_limit', 'console_admin']),
  key: z.string(),
  fields: z.array(configFieldChangeSchema),
})

export const configPlanWireSchema = z.object({
  prune: z.boolean(),
  changes: z.array(configPlanChangeSchema),
  unmanaged: z.array(z.object({ kind: configPlanChangeSchema.shape.kind, key: z.string() })),
  notes: z.array(z.string()),
})

const countsSchema = z.object({ create: z.number().int(), update: z.number().int(), delete: z.number().int() })

/** POST /api/admin/config/plan: the plan, and what to make the apply conditional on. */
export const configPlanResponseSchema = z.object({
  plan: configPlanWireSchema,
  counts: countsSchema,
  /** The plan as `gatekeeper diff` prints it, one line per element. */
  text: z.array(z.string()),
  config_version: z.number().int(),
  fingerprint: z.string(),
})

export const createdCredentialsSchema = z.object({
  client_name: z.string(),
  client_id: z.string(),
  api_key: z.string().optional(),
  shared_secret: z.string().optional(),
})

/** POST /api/admin/config/apply. */
export const configApplyResponseSchema = z.object({
  plan: configPlanWireSchema,
  applied: z.boolean(),
  change_set_id: z.string().nullable(),
  version_before: z.number().int(),
  version_after: z.number().int(),
  /** New clients' raw credentials: in this answer only, never again. */
  credentials: z.array(createdCredentialsSchema),
})

export const configChangeSetSchema = z.object({
  id: z.string(),
  applied_at: epochSecondsSchema,
  actor: z.string(),
  creates: z.number().int(),
  updates: z.number().int(),
  deletes: z.number().int(),
  /** The config version the apply committed as; null when it changed only console admins. */
  config_version: z.number().int().nullable(),
})

export const configChangeSetListSchema = z.object({
  changesets: z.array(configChangeSetSchema),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  next_cursor: z.string().nullable(),
})

export const configChangeSetDetailSchema = z.object({
  id: z.string(),
  applied_at: epochSecondsSchema,
  actor: z.string(),
  /** The apply's audit entries, in the order they were written (a page of them: `limit`/`offset`). */
  entries: z.array(auditEntryWireSchema),
  /** How many audit entries the change set has in all. */
  entries_total: z.number().int(),
})

/** `GET /api/admin/config/changesets/{id}`: a page of its entries (default the first 1,000). */
export const configChangeSetEntriesQuerySchema = z.object({
  limit: defaultedQueryInt(1, 10_000, 1000),
  offset: defaultedQueryInt(0, Number.MAX_SAFE_INTEGER, 0),
})

export const configChangeSetQuerySchema = z.object({
  limit: defaultedQueryInt(1, MAX_PAGE_LIMIT, 50),
  cursor: queryStringSchema,
})

export type ConfigPlanWire = z.output<typeof configPlanWireSchema>
export type ConfigPlanResponse = z.output<typeof configPlanResponseSchema>
export type ConfigApplyResponse = z.output<typeof configApplyResponseSchema>
export type ConfigChangeSetWire = z.output<typeof configChangeSetSchema>
export type ConfigChangeSetList = z.output<typeof configChangeSetListSchema>
export type ConfigChangeSetDetail = z.output<typeof configChangeSetDetailSchema>
