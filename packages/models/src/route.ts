import { z } from 'zod'
import { domainSchema } from './domain'
import { HTTP_METHODS, type HttpMethod, httpMethodSchema, isHttpMethod } from './http'
import { epochSecondsSchema, idSchema, labelSchema, requireOneOf } from './primitives'
import { routePatternSchema } from './route-pattern'

export const AUTH_TYPES = ['api_key', 'hmac'] as const
export const authTypeSchema = z.enum(AUTH_TYPES, { error: () => `expected one of ${AUTH_TYPES.join(', ')}` })
export type AuthType = z.infer<typeof authTypeSchema>

/** Reserved for HMAC signing versions; absent means the service default. */
export const SIGNATURE_VERSIONS = ['any', 'v2'] as const
export const signatureVersionSchema = z.enum(SIGNATURE_VERSIONS)
export type SignatureVersion = z.infer<typeof signatureVersionSchema>

/**
 * How one method of a route is authenticated. `auth_type` is null exactly when `auth_required` is
 * false (an omitted `auth_type` counts as null), so a public method can never carry a stale auth type
 * and a protected one always says how it is protected.
 */
export const methodAuthSchema = z
  .object({
    auth_required: z.boolean(),
    auth_type: authTypeSchema.nullable().default(null),
    signature_version: signatureVersionSchema.optional(),
  })
  .superRefine((value, ctx) => {
    if (value.auth_required && value.auth_type === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['auth_type'],
        message: "auth_type must be 'api_key' or 'hmac' when auth_required is true",
      })
    }
    if (!value.auth_required && value.auth_type !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['auth_type'],
        message: 'auth_type must be null when auth_required is false',
      })
    }
    if (value.signature_version !== undefined && value.auth_type !== 'hmac') {
      ctx.addIssue({
        code: 'custom',
        path: ['signature_version'],
        message: "signature_version only applies when auth_type is 'hmac'",
      })
    }
  })

export type MethodAuth = z.output<typeof methodAuthSchema>

export type RouteMethods = Partial<Record<HttpMethod, MethodAuth>>

/** Rebuilds the methods object with known keys only, in HTTP_METHODS order. */
function canonicalMethods(input: Record<string, MethodAuth>): RouteMethods {
  const methods: RouteMethods = {}
  for (const method of HTTP_METHODS) {
    const auth = input[method]
    if (auth !== undefined) methods[method] = auth
  }
  return methods
}

/** `{GET: {...}, POST: {...}}`: at least one method; a key that is not an uppercase HTTP method is an error. */
export const routeMethodsSchema = z
  .record(z.string(), methodAuthSchema, { error: 'expected an object keyed by HTTP method' })
  .superRefine((value, ctx) => {
    const keys = Object.keys(value)
    const unknown = keys.filter((key) => !isHttpMethod(key))
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown HTTP method${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (allowed: ${HTTP_METHODS.join(', ')})`,
      })
    } else if (keys.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'at least one HTTP method must be configured' })
    }
  })
  .transform(canonicalMethods)

export const serviceNameSchema = labelSchema(128)

/** Response headers authz sets itself (or passes from the rate limiter): a metadata header may not take their names. */
const RESERVED_HEADER = /^x-(auth-|ratelimit-|request-id$|forwarded-|real-ip$|original-)/i

/**
 * The header in which authz sends the client's metadata (compact JSON) on an allow for this route, for nginx to
 * pass upstream (docs/nginx.md); null or absent: not sent. An `X-` name authz does not already use.
 */
export const metadataHeaderSchema = z
  .string()
  .regex(/^[Xx]-[A-Za-z0-9-]{1,62}$/, 'expected a header name like X-Client-Metadata (X-, then letters, digits, -)')
  .refine((name) => !RESERVED_HEADER.test(name), {
    message: 'X-Auth-*, X-RateLimit-*, X-Request-Id, X-Forwarded-*, X-Real-IP and X-Original-* are taken',
  })
  .nullable()

export const routeCreateSchema = z.object({
  route_pattern: routePatternSchema,
  domain: domainSchema.default('*'),
  service_name: serviceNameSchema,
  methods: routeMethodsSchema,
  metadata_header: metadataHeaderSchema.optional(),
})

/** Optimistic concurrency: when given, the update applies only if the stored version still matches. */
export const versionSchema = z.number().int().nonnegative()

const ROUTE_FIELDS = ['route_pattern', 'domain', 'service_name', 'methods', 'metadata_header'] as const

export const routeUpdateSchema = requireOneOf(
  z.object({
    route_pattern: routePatternSchema.optional(),
    domain: domainSchema.optional(),
    service_name: serviceNameSchema.optional(),
    methods: routeMethodsSchema.optional(),
    version: versionSchema.optional(),
    metadata_header: metadataHeaderSchema.optional(),
  }),
  ROUTE_FIELDS,
)

/**
 * Read side of `methods`: keyed by known methods (in any order), no minimum, so a consumer can always
 * display what the server stored.
 */
const routeMethodsWireSchema = z.partialRecord(httpMethodSchema, methodAuthSchema)

/**
 * A route as the admin API returns it (compatible with the original's consumers). `domain` and
 * `route_pattern` are plain strings here: readers should not reject what the server already stored.
 * `version` is additive (for optimistic concurrency on update).
 */
export const routeWireSchema = z.object({
  route_id: idSchema,
  route_pattern: z.string(),
  domain: z.string(),
  service_name: z.string(),
  methods: routeMethodsWireSchema,
  created_at: epochSecondsSchema,
  updated_at: epochSecondsSchema,
  version: z.number().int().optional(),
  /** Additive: the header carrying the client's metadata upstream on an allow; null: none. */
  metadata_header: z.string().nullable().optional(),
})

export type RouteWire = z.output<typeof routeWireSchema>
/** A validated create body (defaults applied). */
export type RouteCreateInput = z.output<typeof routeCreateSchema>
/** What a caller may send to create a route (before defaults). */
export type RouteCreateBody = z.input<typeof routeCreateSchema>
export type RouteUpdateInput = z.output<typeof routeUpdateSchema>
export type RouteUpdateBody = z.input<typeof routeUpdateSchema>
