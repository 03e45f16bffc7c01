import { z } from 'zod'
import { epochSecondsSchema, idSchema, labelSchema } from './primitives'
import { versionSchema } from './route'

export const CLIENT_STATUSES = ['active', 'suspended', 'revoked'] as const
export const clientStatusSchema = z.enum(CLIENT_STATUSES, {
  error: () => `expected one of ${CLIENT_STATUSES.join(', ')}`,
})
export type ClientStatus = z.infer<typeof clientStatusSchema>

export const CREDENTIAL_KINDS = ['api_key', 'shared_secret'] as const
export const credentialKindSchema = z.enum(CREDENTIAL_KINDS, {
  error: () => `expected one of ${CREDENTIAL_KINDS.join(', ')}`,
})
export type CredentialKind = z.infer<typeof credentialKindSchema>

export const clientNameSchema = labelSchema(200)

/**
 * An operator-set expiry: epoch seconds (authz refuses from that second on), or null for none. A moment
 * already past is accepted: it is how a credential or client is stopped now but kept on record.
 */
export const expiresAtSchema = epochSecondsSchema.max(253_402_300_799, 'must be before the year 10000').nullable()

/** Most CIDRs one client's allowlist holds: it is a short list of the client's own networks, not a firewall. */
export const MAX_IP_ALLOWLIST = 100

/** One IPv4 or IPv6 address or CIDR (`203.0.113.7`, `10.0.0.0/8`, `2001:db8::/32`). */
export const ipOrCidrSchema = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()], {
  error: (issue) => `not an IPv4/IPv6 address or CIDR: ${JSON.stringify(issue.input)}`,
})

/**
 * The client IPs (as authz resolves them through trusted forwarders) whose requests a client's credentials are
 * accepted from; anything else is refused with `ip_not_allowed`. null (or absent): any IP. An empty list would
 * refuse everything and is almost certainly a mistake, so it is refused: suspend the client for that.
 */
export const ipAllowlistSchema = z
  .array(ipOrCidrSchema)
  .min(1, 'an empty allowlist would refuse every request: send null to clear it')
  .max(MAX_IP_ALLOWLIST, `at most ${MAX_IP_ALLOWLIST} entries`)
  .nullable()

/**
 * `api_key` / `shared_secret` say which credentials to generate. At least one must be requested:
 * a client without credentials could never authenticate, and silently picking one would hide a typo.
 */
export const clientCreateSchema = z
  .object({
    client_name: clientNameSchema,
    status: clientStatusSchema.default('active'),
    api_key: z.boolean().default(false),
    shared_secret: z.boolean().default(false),
    /** The client's own expiry: past it every credential of the client is refused (`client_expired`). */
    expires_at: expiresAtSchema.optional(),
    /** The expiry of the credentials this create generates (`credential_expired` past it). */
    credentials_expire_at: expiresAtSchema.optional(),
    /** The IPs / CIDRs the client's credentials are accepted from (`ip_not_allowed` otherwise); null: any. */
    ip_allowlist: ipAllowlistSchema.optional(),
  })
  .refine((value) => value.api_key || value.shared_secret, {
    message: 'request at least one credential: set api_key and/or shared_secret to true',
  })

const UPDATABLE = [
  'client_name',
  'status',
  'expires_at',
  'api_key_expires_at',
  'shared_secret_expires_at',
  'ip_allowlist',
] as const

export const clientUpdateSchema = z
  .object({
    client_name: clientNameSchema.optional(),
    status: clientStatusSchema.optional(),
    version: versionSchema.optional(),
    /** Sets (epoch seconds) or clears (null) the client's expiry. */
    expires_at: expiresAtSchema.optional(),
    /** Sets or clears the expiry of the client's current API key / shared secret (404 when it has none). */
    api_key_expires_at: expiresAtSchema.optional(),
    shared_secret_expires_at: expiresAtSchema.optional(),
    /** Sets (a list) or clears (null) the IP allowlist of the client's credentials. */
    ip_allowlist: ipAllowlistSchema.optional(),
  })
  .refine((value) => UPDATABLE.some((field) => value[field] !== undefined), {
    message: `at least one of ${UPDATABLE.join(', ')} is required`,
  })

/** Longest overlap during which the previous credential keeps working after a rotation. */
export const MAX_GRACE_SECONDS = 30 * 24 * 60 * 60

export const rotateCredentialSchema = z.object({
  credential: credentialKindSchema,
  grace_seconds: z
    .number()
    .int('must be an integer')
    .min(0, 'must not be negative')
    .max(MAX_GRACE_SECONDS, `must be at most ${MAX_GRACE_SECONDS} (30 days)`)
    .default(0),
  /** The new credential's expiry (epoch seconds); omitted or null: it does not expire. */
  expires_at: expiresAtSchema.optional(),
})

/**
 * A client as list/read endpoints return it. Never carries a raw credential. `has_shared_secret` and
 * `version` are additive fields beyond the original's shape.
 */
export const clientWireSchema = z.object({
  client_id: idSchema,
  client_name: z.string(),
  status: clientStatusSchema,
  api_key_masked: z.string().nullable(),
  created_at: epochSecondsSchema,
  updated_at: epochSecondsSchema,
  has_shared_secret: z.boolean().optional(),
  version: z.number().int().optional(),
  /** Additive: the client's expiry and its current credentials' (epoch seconds, null: none). */
  expires_at: epochSecondsSchema.nullable().optional(),
  api_key_expires_at: epochSecondsSchema.nullable().optional(),
  shared_secret_expires_at: epochSecondsSchema.nullable().optional(),
  /** Additive: the IPs / CIDRs the client's credentials are accepted from; null: any. */
  ip_allowlist: z.array(z.string()).nullable().optional(),
})

/** The create (and rotate) answer: the only place raw credentials ever appear. */
export const clientCreatedWireSchema = clientWireSchema.extend({
  api_key: z.string().optional(),
  shared_secret: z.string().optional(),
})

export type ClientWire = z.output<typeof clientWireSchema>
export type ClientCreatedWire = z.output<typeof clientCreatedWireSchema>
export type ClientCreateInput = z.output<typeof clientCreateSchema>
export type ClientCreateBody = z.input<typeof clientCreateSchema>
export type ClientUpdateInput = z.output<typeof clientUpdateSchema>
export type ClientUpdateBody = z.input<typeof clientUpdateSchema>
export type RotateCredentialInput = z.output<typeof rotateCredentialSchema>
export type RotateCredentialBody = z.input<typeof rotateCredentialSchema>
