import { maskApiKey } from '@gatekeeper/crypto'
import {
  type AuditEntryWire,
  type ClientCreatedWire,
  type ClientWire,
  type ConsoleAdminWire,
  type CredentialWire,
  HTTP_METHODS,
  type MethodAuth,
  type PermissionWire,
  type RateLimitWire,
  type RouteMethods,
  type RouteWire,
  sortMethods,
} from '@gatekeeper/models'
import type {
  AdminAuditEntry,
  Client,
  ClientCredential,
  ClientPermission,
  ConsoleAdmin,
  RateLimit,
  Route,
} from '../schema'

// Rows -> the admin API's wire shapes (docs/admin-api.md). Consumers compare bytes,
// so every object is built key by key in the documented order; additive fields (has_shared_secret, version,
// then the expiries and the IP allowlist) come after the documented ones.

/** Wire times are integer epoch seconds. */
export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000)
}

function methodRule(rule: MethodAuth): MethodAuth {
  const out: MethodAuth = { auth_required: rule.auth_required, auth_type: rule.auth_type ?? null }
  if (rule.signature_version !== undefined) out.signature_version = rule.signature_version
  return out
}

/** jsonb stores object keys in its own order; the wire has them in HTTP_METHODS order. */
export function methodsWire(methods: RouteMethods): RouteMethods {
  const out: RouteMethods = {}
  for (const method of HTTP_METHODS) {
    const rule = methods[method]
    if (rule !== undefined) out[method] = methodRule(rule)
  }
  return out
}

export function routeWire(row: Route): RouteWire {
  return {
    route_id: row.id,
    route_pattern: row.routePattern,
    domain: row.domain,
    service_name: row.serviceName,
    methods: methodsWire(row.methods),
    created_at: epochSeconds(row.createdAt),
    updated_at: epochSeconds(row.updatedAt),
    version: row.version,
    metadata_header: row.metadataHeader,
  }
}

/** A client with what its current credentials show: the API key's display parts, whether a secret exists. */
export type ClientView = Client & {
  apiKeyPrefix: string | null
  apiKeyLast4: string | null
  apiKeyValidUntil: Date | null
  hasSharedSecret: boolean
  /** Epoch seconds. */
  sharedSecretValidUntil: number | null
  /** Epoch seconds: the latest last_used_at over the client's credentials. */
  lastUsedAt: number | null
}

export function epochSecondsOrNull(date: Date | null): number | null {
  return date === null ? null : epochSeconds(date)
}

export function clientWire(row: ClientView): ClientWire {
  return {
    client_id: row.id,
    client_name: row.clientName,
    status: row.status,
    api_key_masked:
      row.apiKeyPrefix !== null && row.apiKeyLast4 !== null ? maskApiKey(row.apiKeyPrefix, row.apiKeyLast4) : null,
    created_at: epochSeconds(row.createdAt),
    updated_at: epochSeconds(row.updatedAt),
    has_shared_secret: row.hasSharedSecret,
    version: row.version,
    expires_at: epochSecondsOrNull(row.expiresAt),
    api_key_expires_at: epochSecondsOrNull(row.apiKeyValidUntil),
    shared_secret_expires_at: row.sharedSecretValidUntil,
    ip_allowlist: row.ipAllowlist,
    metadata: row.metadata,
    last_used_at: row.lastUsedAt,
  }
}

/** A credential row as the client detail lists it: no digest, no sealed secret. */
export function credentialWire(row: ClientCredential): CredentialWire {
  return {
    credential_id: row.id,
    kind: row.kind,
    prefix: row.kind === 'api_key' ? row.apiKeyPrefix : null,
    created_at: epochSeconds(row.createdAt),
    expires_at: epochSecondsOrNull(row.validUntil),
    last_used_at: epochSecondsOrNull(row.lastUsedAt),
    ip_allowlist: row.ipAllowlist,
    state: row.expiresAt === null ? 'current' : 'previous',
  }
}

/** The create/rotate answer: the raw values sit after the documented keys, before the additive ones. */
export function clientCreatedWire(
  client: ClientWire,
  raw: { apiKey?: string | undefined; sharedSecret?: string | undefined },
): ClientCreatedWire {
  const { client_id, client_name, status, api_key_masked, created_at, updated_at, ...additive } = client
  return {
    client_id,
    client_name,
    status,
    api_key_masked,
    created_at,
    updated_at,
    ...(raw.apiKey !== undefined ? { api_key: raw.apiKey } : {}),
    ...(raw.sharedSecret !== undefined ? { shared_secret: raw.sharedSecret } : {}),
    ...additive,
  }
}

/** A permission with the names the wire joins in. */
export type PermissionView = ClientPermission & {
  clientName: string
  routeDomain: string
  routePattern: string
  routeServiceName: string
}

/** `version` is additive (optimistic concurrency on revoke), after the documented keys. */
export type PermissionWireWithVersion = PermissionWire & { version: number }

export function permissionWire(row: PermissionView): PermissionWireWithVersion {
  return {
    permission_id: row.id,
    client_id: row.clientId,
    client_name: row.clientName,
    route_id: row.routeId,
    route_domain: row.routeDomain,
    route_pattern: row.routePattern,
    route_service_name: row.routeServiceName,
    allowed_methods: sortMethods(row.allowedMethods),
    created_at: epochSeconds(row.createdAt),
    version: row.version,
  }
}

export function rateLimitWire(row: RateLimit & { clientName: string }): RateLimitWire {
  return {
    client_id: row.clientId,
    client_name: row.clientName,
    requests_per_day: row.requestsPerDay,
    requests_per_minute: row.requestsPerMinute,
    created_at: epochSeconds(row.createdAt),
    updated_at: epochSeconds(row.updatedAt),
  }
}

export function consoleAdminWire(row: ConsoleAdmin): ConsoleAdminWire {
  return {
    admin_id: row.id,
    aegis_user_id: row.aegisUserId,
    email: row.email,
    created_at: epochSeconds(row.createdAt),
    source: row.source,
    binding: row.aegisUserId === null ? 'pending' : 'bound',
    aegis_webhook_user_id: row.aegisWebhookUserId,
  }
}

export function auditEntryWire(row: AdminAuditEntry): AuditEntryWire {
  return {
    audit_id: String(row.id),
    at: epochSeconds(row.at),
    actor: row.actor,
    actor_type: row.actorType,
    action: row.action,
    entity_type: row.entityType as AuditEntryWire['entity_type'], // written only by writeAudit, typed there
    entity_id: row.entityId,
    before: row.before ?? null,
    after: row.after ?? null,
    request_id: row.requestId,
  }
}
