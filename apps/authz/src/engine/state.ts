// Everything a decision reads, compiled into maps keyed the way decisions look things up. Built once from a
// full snapshot, then kept current one row at a time (upsert/remove) as change notifications arrive.
// Each upsert replaces whatever was indexed under the row's id, so applying the same change twice is harmless.

import type { HmacSecret } from './hmac-verify'
import { RouteIndex } from './route-index'
import type { ClientInput, CredentialInput, PermissionInput, RateLimitInput, RouteInput } from './types'

export interface EngineSnapshot {
  routes: readonly RouteInput[]
  clients: readonly ClientInput[]
  credentials: readonly CredentialInput[]
  permissions: readonly PermissionInput[]
  rateLimits: readonly RateLimitInput[]
}

export type UpsertResult = { ok: true } | { ok: false; reason: string }

export interface SnapshotIssue {
  table: 'routes' | 'credentials'
  id: string
  reason: string
}

export interface ApiKeyEntry {
  credentialId: string
  clientId: string
  /** Epoch ms; Infinity when it does not expire. */
  expiresAtMs: number
}

interface SecretEntry extends HmacSecret {
  credentialId: string
}

interface PermissionEntry {
  permissionId: string
  methods: ReadonlySet<string>
}

/** A client's limits in the shape the admission store takes, built once per change, not per request. */
export interface LimitSpec {
  readonly perDay: number | null
  readonly perMinute: number | null
}

const OK: UpsertResult = Object.freeze({ ok: true as const })

function expiresAtMs(date: Date | null): number {
  return date === null ? Number.POSITIVE_INFINITY : date.getTime()
}

export class EngineState {
  readonly routes = new RouteIndex()
  private readonly clients = new Map<string, ClientInput>()
  private readonly credentialsById = new Map<string, CredentialInput>()
  private readonly apiKeys = new Map<string, ApiKeyEntry>()
  private readonly secrets = new Map<string, SecretEntry[]>()
  private readonly permissionsById = new Map<string, PermissionInput>()
  private readonly permissions = new Map<string, Map<string, PermissionEntry>>()
  private readonly rateLimits = new Map<string, RateLimitInput>()
  private readonly limitSpecs = new Map<string, LimitSpec>()

  // --- lookups used by decide -------------------------------------------------------------------------------

  client(clientId: string): ClientInput | undefined {
    return this.clients.get(clientId)
  }

  /** By lower-case hex SHA-256 digest of the key. */
  apiKey(digest: string): ApiKeyEntry | undefined {
    return this.apiKeys.get(digest)
  }

  /** The client's shared secrets, unexpired ones first (callers still check expiry against their clock). */
  hmacSecrets(clientId: string): readonly HmacSecret[] | undefined {
    return this.secrets.get(clientId)
  }

  allowedMethods(clientId: string, routeId: string): ReadonlySet<string> | undefined {
    return this.permissions.get(clientId)?.get(routeId)?.methods
  }

  rateLimit(clientId: string): RateLimitInput | undefined {
    return this.rateLimits.get(clientId)
  }

  /** The same limits as `rateLimit`, shaped for the admission store; undefined when the client has none. */
  limitSpec(clientId: string): LimitSpec | undefined {
    return this.limitSpecs.get(clientId)
  }

  stats(): { routes: number; clients: number; credentials: number; permissions: number; rateLimits: number } {
    return {
      routes: this.routes.size,
      clients: this.clients.size,
      credentials: this.credentialsById.size,
      permissions: this.permissionsById.size,
      rateLimits: this.rateLimits.size,
    }
  }

  // --- routes -----------------------------------------------------------------------------------------------

  upsertRoute(route: RouteInput): UpsertResult {
    return this.routes.upsert(route)
  }

  removeRoute(routeId: string): boolean {
    return this.routes.remove(routeId)
  }

  // --- clients ----------------------------------------------------------------------------------------------

  upsertClient(client: ClientInput): UpsertResult {
    this.clients.set(client.id, { id: client.id, clientName: client.clientName, status: client.status })
    return OK
  }

  removeClient(clientId: string): boolean {
    return this.clients.delete(clientId)
  }

  // --- credentials ------------------------------------------------------------------------------------------

  upsertCredential(credential: CredentialInput): UpsertResult {
    this.removeCredential(credential.id)
    if (credential.kind === 'api_key') {
      if (credential.apiKeyDigest === null || !/^[0-9a-fA-F]{64}$/.test(credential.apiKeyDigest)) {
        return { ok: false, reason: 'api_key credential without a SHA-256 hex digest' }
      }
      this.apiKeys.set(credential.apiKeyDigest.toLowerCase(), {
        credentialId: credential.id,
        clientId: credential.clientId,
        expiresAtMs: expiresAtMs(credential.expiresAt),
      })
    } else {
      if (credential.secret === null || credential.secret.length === 0) {
        return { ok: false, reason: 'shared_secret credential without its (unsealed) secret' }
      }
      const list = (this.secrets.get(credential.clientId) ?? []).concat({
        credentialId: credential.id,
        secret: credential.secret,
        expiresAtMs: expiresAtMs(credential.expiresAt),
      })
      // The current secret (no expiry, or the latest) first: most requests verify on the first try.
      list.sort((a, b) => b.expiresAtMs - a.expiresAtMs || (a.credentialId < b.credentialId ? -1 : 1))
      this.secrets.set(credential.clientId, list)
    }
    this.credentialsById.set(credential.id, credential)
    return OK
  }

  removeCredential(credentialId: string): boolean {
    const old = this.credentialsById.get(credentialId)
    if (old === undefined) return false
    this.credentialsById.delete(credentialId)
    if (old.kind === 'api_key' && old.apiKeyDigest !== null) {
      const digest = old.apiKeyDigest.toLowerCase()
      if (this.apiKeys.get(digest)?.credentialId === credentialId) this.apiKeys.delete(digest)
    }
    const list = this.secrets.get(old.clientId)
    if (list !== undefined) {
      const remaining = list.filter((s) => s.credentialId !== credentialId)
      if (remaining.length > 0) this.secrets.set(old.clientId, remaining)
      else this.secrets.delete(old.clientId)
    }
    return true
  }

  // --- permissions ------------------------------------------------------------------------------------------

  upsertPermission(permission: PermissionInput): UpsertResult {
    this.removePermission(permission.id)
    let byRoute = this.permissions.get(permission.clientId)
    if (byRoute === undefined) {
      byRoute = new Map()
      this.permissions.set(permission.clientId, byRoute)
    }
    const methods = new Set(permission.allowedMethods.map((m) => m.toUpperCase()))
    byRoute.set(permission.routeId, { permissionId: permission.id, methods })
    this.permissionsById.set(permission.id, permission)
    return OK
  }

  removePermission(permissionId: string): boolean {
    const old = this.permissionsById.get(permissionId)
    if (old === undefined) return false
    this.permissionsById.delete(permissionId)
    const byRoute = this.permissions.get(old.clientId)
    if (byRoute?.get(old.routeId)?.permissionId === permissionId) {
      byRoute.delete(old.routeId)
      if (byRoute.size === 0) this.permissions.delete(old.clientId)
    }
    return true
  }

  // --- rate limits (one row per client) ---------------------------------------------------------------------

  upsertRateLimit(limit: RateLimitInput): UpsertResult {
    if (limit.requestsPerDay === null && limit.requestsPerMinute === null) {
      this.removeRateLimit(limit.clientId)
    } else {
      this.rateLimits.set(limit.clientId, { ...limit })
      this.limitSpecs.set(
        limit.clientId,
        Object.freeze({ perDay: limit.requestsPerDay, perMinute: limit.requestsPerMinute }),
      )
    }
    return OK
  }

  removeRateLimit(clientId: string): boolean {
    this.limitSpecs.delete(clientId)
    return this.rateLimits.delete(clientId)
  }
}

/** A fresh state from a full snapshot. Rows that cannot be honoured are left out and reported, never guessed. */
export function buildEngineState(snapshot: EngineSnapshot): { state: EngineState; issues: SnapshotIssue[] } {
  const state = new EngineState()
  const issues: SnapshotIssue[] = []
  for (const route of snapshot.routes) {
    const r = state.upsertRoute(route)
    if (!r.ok) issues.push({ table: 'routes', id: route.id, reason: r.reason })
  }
  for (const client of snapshot.clients) state.upsertClient(client)
  for (const credential of snapshot.credentials) {
    const r = state.upsertCredential(credential)
    if (!r.ok) issues.push({ table: 'credentials', id: credential.id, reason: r.reason })
  }
  for (const permission of snapshot.permissions) state.upsertPermission(permission)
  for (const limit of snapshot.rateLimits) state.upsertRateLimit(limit)
  return { state, issues }
}
