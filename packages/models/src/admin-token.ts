import { z } from 'zod'
import { epochSecondsSchema, idSchema } from './primitives'

/** `read`: GET/HEAD on the admin API only; `write`: everything an admin may do. */
export const ADMIN_TOKEN_SCOPES = ['read', 'write'] as const
export const adminTokenScopeSchema = z.enum(ADMIN_TOKEN_SCOPES, {
  error: () => `expected one of ${ADMIN_TOKEN_SCOPES.join(', ')}`,
})
export type AdminTokenScope = z.infer<typeof adminTokenScopeSchema>

/** What an admin_tokens row is: a named API token, or the short-lived session of a local sign-in link. */
export const ADMIN_TOKEN_KINDS = ['api', 'local_session'] as const
export type AdminTokenKind = (typeof ADMIN_TOKEN_KINDS)[number]

/** Longest lifetime a token may be given (5 years); no lifetime at all means it never expires. */
export const MAX_ADMIN_TOKEN_LIFETIME_SECONDS = 5 * 365 * 86_400

/**
 * A token's name is what the audit log shows as the actor of everything done with it, so it cannot
 * look like an email (no `@`) or hide in whitespace.
 */
export const adminTokenNameSchema = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'letters, digits, ".", "_" or "-" (1-64, starting with a letter or digit)',
  )

export const adminTokenCreateSchema = z.object({
  name: adminTokenNameSchema,
  scope: adminTokenScopeSchema,
  /** Seconds from now; omitted or null: never expires. */
  expires_in_seconds: z.number().int().min(60).max(MAX_ADMIN_TOKEN_LIFETIME_SECONDS).nullish(),
})

export const adminTokenWireSchema = z.object({
  token_id: idSchema,
  name: z.string(),
  scope: adminTokenScopeSchema,
  /** `gka_AbCd…wxyz`: enough to recognise a token, never enough to use it. */
  token_masked: z.string(),
  created_at: epochSecondsSchema,
  created_by: z.string(),
  expires_at: epochSecondsSchema.nullable(),
  last_used_at: epochSecondsSchema.nullable(),
  revoked_at: epochSecondsSchema.nullable(),
})

/** The answer to a create: the only time the raw token is ever shown. */
export const adminTokenCreatedWireSchema = adminTokenWireSchema.extend({ token: z.string() })

export const localSignInRequestSchema = z.object({ code: z.string().min(1).max(200) })

export const localSessionWireSchema = z.object({
  token: z.string(),
  /** Epoch seconds. */
  expires_at: epochSecondsSchema,
  name: z.string(),
})

export type AdminTokenCreateInput = z.output<typeof adminTokenCreateSchema>
export type AdminTokenWire = z.output<typeof adminTokenWireSchema>
export type AdminTokenCreatedWire = z.output<typeof adminTokenCreatedWireSchema>
export type LocalSessionWire = z.output<typeof localSessionWireSchema>
