import { z } from 'zod'
import {
  clientNameSchema,
  clientStatusSchema,
  credentialKindSchema,
  expiresAtSchema,
  ipAllowlistSchema,
  metadataSchema,
} from './client'
import { permissionGrantSchema } from './permission'
import { emailSchema } from './primitives'
import { LIMITS_SOMETHING, limitsSomething, rateLimitSetSchema } from './rate-limit'
import { routeCreateSchema } from './route'

/**
 * The configuration-as-code document: the whole desired state of a Gatekeeper, keyed by names people
 * read in a review (a route by domain + pattern, a client by name), never by database ids. Field
 * names and rules are the admin API's (the same schemas), so a value the file accepts is one the API
 * accepts. Objects are strict: a misspelt key is an error, not a silently ignored line.
 */
export const CONFIG_DOCUMENT_VERSION = 1

export const configRouteSchema = z
  .strictObject({
    ...routeCreateSchema.shape,
  })
  .describe('A route, identified by domain + route_pattern.')

/**
 * A credential that exists: never its secret, only what identifies it, so a review sees which key a
 * client has and a later apply keeps it. An entry without `id` asks for a new credential of that kind.
 * Its lifecycle (`expires_at`, `ip_allowlist`) is managed for a credential listed by a live `id`, and
 * given to a new client's credential at creation.
 */
export const configCredentialSchema = z
  .strictObject({
    kind: credentialKindSchema,
    id: z.uuid().optional().describe('The credential row id (omit to ask for a new credential of this kind).'),
    prefix: z.string().optional().describe('The displayable start of an API key (gk_AbCd), for review only.'),
    expires_at: expiresAtSchema
      .optional()
      .describe('The expiry an operator set, epoch seconds (credential_expired from then on); absent or null: none.'),
    ip_allowlist: ipAllowlistSchema
      .optional()
      .describe(
        "The IPs / CIDRs this credential is accepted from, on top of the client's list; absent or null: no own limit.",
      ),
  })
  .describe('A credential by kind, id and displayable prefix, with its lifecycle; never secret material.')

export const configClientSchema = z
  .strictObject({
    client_name: clientNameSchema,
    status: clientStatusSchema.default('active'),
    expires_at: expiresAtSchema
      .optional()
      .describe("The client's expiry, epoch seconds (client_expired from then on); absent or null: none."),
    ip_allowlist: ipAllowlistSchema
      .optional()
      .describe("The IPs / CIDRs the client's credentials are accepted from; absent or null: any."),
    credentials: z.array(configCredentialSchema).default([]),
    metadata: metadataSchema.optional().describe('A small JSON object (at most 50 keys, 4 KiB); absent: none.'),
  })
  .describe('A client, identified by client_name.')

export const configPermissionSchema = z
  .strictObject({
    client_name: clientNameSchema,
    domain: routeCreateSchema.shape.domain,
    route_pattern: routeCreateSchema.shape.route_pattern,
    allowed_methods: permissionGrantSchema.shape.allowed_methods,
  })
  .describe('A grant: the client (by name) may call the route (by domain + route_pattern) with these methods.')

export const configRateLimitSchema = z
  .strictObject({
    client_name: clientNameSchema,
    ...rateLimitSetSchema.shape,
  })
  .refine(limitsSomething, LIMITS_SOMETHING)
  .describe('Request limits of one client (by name); a client without an entry is unlimited.')

export const configConsoleAdminSchema = z
  .strictObject({ email: emailSchema })
  .describe('A console admin, provisioned by email; the Aegis binding is made at sign-in and not part of the file.')

/** A section; left empty in YAML (`routes:` with nothing under it) it reads as null, which means none. */
function section<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform((value) => value ?? [])
}

export const configDocumentSchema = z
  .strictObject({
    version: z
      .literal(CONFIG_DOCUMENT_VERSION, {
        // Names the version this program reads, so a file from another release says why it is refused.
        error: (issue) =>
          issue.input === undefined
            ? `required: the file's format version (version: ${CONFIG_DOCUMENT_VERSION})`
            : `format version ${JSON.stringify(issue.input)} is not supported: this gatekeeper reads version ${CONFIG_DOCUMENT_VERSION} (the number, not a string)`,
      })
      .describe('The format version of this file.'),
    routes: section(configRouteSchema),
    clients: section(configClientSchema),
    permissions: section(configPermissionSchema),
    rate_limits: section(configRateLimitSchema),
    console_admins: section(configConsoleAdminSchema),
  })
  .describe('Gatekeeper configuration as code (docs/config-as-code.md).')

export type ConfigDocument = z.output<typeof configDocumentSchema>
export type ConfigDocumentInput = z.input<typeof configDocumentSchema>
export type ConfigRoute = z.output<typeof configRouteSchema>
export type ConfigClient = z.output<typeof configClientSchema>
export type ConfigCredential = z.output<typeof configCredentialSchema>
export type ConfigPermission = z.output<typeof configPermissionSchema>
export type ConfigRateLimit = z.output<typeof configRateLimitSchema>
export type ConfigConsoleAdmin = z.output<typeof configConsoleAdminSchema>

/** The published JSON Schema (docs/gatekeeper-config.schema.json), describing what a file may contain. */
export function configDocumentJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configDocumentSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>
}
