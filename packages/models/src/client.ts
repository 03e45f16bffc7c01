import { z } from 'zod'
import { epochSecondsSchema, idSchema, labelSchema, requireOneOf } from './primitives'
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

/** Most top-level keys a client's metadata may have. */
export const MAX_METADATA_KEYS = 50
/** Most bytes a client's metadata may take as compact JSON (UTF-8): it travels in a header on every allowed request. */
export const MAX_METADATA_BYTES = 4096

/** Key names the audit log refuses to record (they only ever hold credentials): refused in metadata too. */
const CREDENTIAL_LIKE_KEYS = new Set([
  'api_key',
  'shared_secret',
  'secret_sealed',
  'secretSealed',
  'apiKey',
  'sharedSecret',
])

function findKey(value: unknown, names: ReadonlySet<string>): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  for (const [key, inner] of Object.entries(value)) {
    if (names.has(key)) return key
    const found = findKey(inner, names)
    if (found !== undefined) return found
  }
  return undefined
}

/**
 * A small JSON object the operator attaches to a client (plan, owner, tenant id...): returned by the admin API
 * and, on routes with a `metadata_header`, sent upstream as compact JSON. null clears it.
 */
export const metadataSchema = z
  .record(z.string(), z.unknown(), { error: 'metadata must be a JSON object' })
  .superRefine((value, ctx) => {
    const keys = Object.keys(value).length
    if (keys > MAX_METADATA_KEYS) {
      ctx.addIssue({ code: 'custom', message: `metadata has ${keys} keys; at most ${MAX_METADATA_KEYS} are allowed` })
      return
    }
    const credentialKey = findKey(value, CREDENTIAL_LIKE_KEYS)
    if (credentialKey !== undefined) {
      ctx.addIssue({ code: 'custom', message: `metadata must not hold credentials (key "${credentialKey}")` })
      return
    }
    const bytes = new TextEncoder().encode(JSON.stringify(value)).length
    if (bytes > MAX_METADATA_BYTES) {
      ctx.addIssue({
        code: 'custom',
        message: `metadata is ${bytes} bytes as compact JSON; at most ${MAX_METADATA_BYTES} are allowed`,
      })
    }
  })
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
    /** A small JSON object (at most 50 keys, 4 KiB as compact JSON); null or absent: none. */
    metadata: metadataSchema.optional(),
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
  'metadata',
] as const

export const clientUpdateSchema = requireOneOf(
  z.object({
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
    /** Replaces (an object) or clears (null) the client's metadata. */
    metadata: metadataSchema.optional(),
  }),
  UPDATABLE,
)

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
  /** Additive: the client's metadata object; null: none. */
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
  /** Additive: the latest time any of the client's credentials was accepted (epoch seconds); null: never. */
  last_used_at: epochSecondsSchema.nullable().optional(),
})

/** `state`: `current` is the credential in use; `previous` was rotated out and works until its grace ends. */
export const CREDENTIAL_STATES = ['current', 'previous'] as const

/** One credential of a client as the client detail lists it: identification and lifecycle, never secret material. */
export const credentialWireSchema = z.object({
  credential_id: idSchema,
  kind: credentialKindSchema,
  /** The displayable start of an API key (`gk_AbCd`); null for a shared secret. */
  prefix: z.string().nullable(),
  created_at: epochSecondsSchema,
  /** The expiry an operator set (`credential_expired` past it); null: none. */
  expires_at: epochSecondsSchema.nullable(),
  last_used_at: epochSecondsSchema.nullable(),
  /** The credential's own allowlist, on top of the client's; null: none of its own. */
  ip_allowlist: z.array(z.string()).nullable(),
  state: z.enum(CREDENTIAL_STATES),
})

/** `GET /clients/{id}`: the client with its live credentials (additive, last). */
export const clientDetailWireSchema = clientWireSchema.extend({
  credentials: z.array(credentialWireSchema).optional(),
})

const CREDENTIAL_UPDATABLE = ['expires_at', 'ip_allowlist'] as const

/** `PUT /clients/{id}/credentials/{credential_id}`: set or clear (null) one credential's expiry and allowlist. */
export const credentialUpdateSchema = requireOneOf(
  z.object({
    expires_at: expiresAtSchema.optional(),
    ip_allowlist: ipAllowlistSchema.optional(),
  }),
  CREDENTIAL_UPDATABLE,
)

/**
 * `?unused_for=90d` on the client list: a span in days (`90d`), hours (`12h`) or seconds (`3600`). A client is
 * unused when no credential of it was accepted since `now - span`; one never used counts when it was created
 * before that moment.
 */
export const unusedForSchema = z
  .string()
  .regex(/^\d{1,6}[dh]?$/, 'expected a span like 90d, 12h or 3600 (seconds)')
  .transform((text) => {
    const unit = text.endsWith('d') ? 86_400 : text.endsWith('h') ? 3600 : 1
    return Number.parseInt(text, 10) * unit
  })

export const USAGE_WINDOWS = ['24h', '30d'] as const
export const usageQuerySchema = z.object({
  window: z.enum(USAGE_WINDOWS, { error: () => `window must be one of ${USAGE_WINDOWS.join(', ')}` }).default('24h'),
})
export type UsageWindow = (typeof USAGE_WINDOWS)[number]

const usageCounts = {
  allowed: z.number().int().nonnegative(),
  refused: z.number().int().nonnegative(),
  rate_limited: z.number().int().nonnegative(),
}

/** `GET /clients/{id}/usage`: contiguous zero-filled buckets, oldest first, and their totals. */
export const clientUsageWireSchema = z.object({
  client_id: idSchema,
  window: z.enum(USAGE_WINDOWS),
  bucket_seconds: z.union([z.literal(3600), z.literal(86_400)]),
  buckets: z.array(
    z.object({
      start: epochSecondsSchema,
      ...usageCounts,
      refused_by_reason: z.record(z.string(), z.number().int().nonnegative()),
    }),
  ),
  totals: z.object(usageCounts),
})

/** The create (and rotate) answer: the only place raw credentials ever appear. */
export const clientCreatedWireSchema = clientWireSchema.extend({
  api_key: z.string().optional(),
  shared_secret: z.string().optional(),
})

export type ClientWire = z.output<typeof clientWireSchema>
export type ClientCreatedWire = z.output<typeof clientCreatedWireSchema>
export type ClientDetailWire = z.output<typeof clientDetailWireSchema>
export type CredentialWire = z.output<typeof credentialWireSchema>
export type CredentialUpdateBody = z.input<typeof credentialUpdateSchema>
export type ClientUsageWire = z.output<typeof clientUsageWireSchema>
export type ClientCreateInput = z.output<typeof clientCreateSchema>
export type ClientCreateBody = z.input<typeof clientCreateSchema>
export type ClientUpdateInput = z.output<typeof clientUpdateSchema>
export type ClientUpdateBody = z.input<typeof clientUpdateSchema>
export type RotateCredentialInput = z.output<typeof rotateCredentialSchema>
export type RotateCredentialBody = z.input<typeof rotateCredentialSchema>
