import { z } from 'zod'
import { MAX_PAGE_LIMIT } from './pagination'
import { defaultedQueryInt, epochSecondsSchema, optionalQueryInt, queryStringSchema } from './primitives'

/** `admin_token`: a named admin API token (the actor is its name); `local_admin`: a local sign-in session. */
export const ACTOR_TYPES = ['console_admin', 'cli', 'webhook', 'system', 'admin_token', 'local_admin'] as const
export const actorTypeSchema = z.enum(ACTOR_TYPES)
export type ActorType = z.infer<typeof actorTypeSchema>

export const AUDIT_ENTITY_TYPES = [
  'route',
  'client',
  'permission',
  'rate_limit',
  'console_admin',
  'admin_token',
] as const
export const auditEntityTypeSchema = z.enum(AUDIT_ENTITY_TYPES, {
  error: () => `expected one of ${AUDIT_ENTITY_TYPES.join(', ')}`,
})
export type AuditEntityType = z.infer<typeof auditEntityTypeSchema>

/** One audit record. `before`/`after` are the entity's wire shapes (never raw credentials), null when absent. */
export const auditEntryWireSchema = z.object({
  audit_id: z.string(),
  at: epochSecondsSchema,
  actor: z.string(),
  actor_type: actorTypeSchema,
  action: z.string(),
  entity_type: auditEntityTypeSchema,
  entity_id: z.string(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  request_id: z.string().nullable(),
})

const MAX_EPOCH_SECONDS = 253_402_300_799 // 9999-12-31T23:59:59Z

/** `GET /api/admin/audit` filters, read from query strings. */
export const auditQuerySchema = z
  .object({
    actor: queryStringSchema,
    entity_type: z.preprocess((value) => (value === '' ? undefined : value), auditEntityTypeSchema.optional()),
    entity_id: queryStringSchema,
    action: queryStringSchema,
    since: optionalQueryInt(0, MAX_EPOCH_SECONDS),
    until: optionalQueryInt(0, MAX_EPOCH_SECONDS),
    limit: defaultedQueryInt(1, MAX_PAGE_LIMIT, 100),
    offset: defaultedQueryInt(0, Number.MAX_SAFE_INTEGER, 0),
  })
  .refine((value) => value.since === undefined || value.until === undefined || value.since <= value.until, {
    message: 'since must not be after until',
    path: ['since'],
  })

export type AuditEntryWire = z.output<typeof auditEntryWireSchema>
export type AuditQuery = z.output<typeof auditQuerySchema>
