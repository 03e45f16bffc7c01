// Everything a decision reads, compiled into maps keyed the way decisions look things up. Built once from a
// full snapshot, then kept current one row at a time (upsert/remove) as change notifications arrive.
// Each upsert replaces whatever was indexed under the row's id, so applying the same change twice is harmless.

import { type AddressList, compileAddressList } from './client-ip'
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
  /** Epoch ms, the earlier of the rotation grace end and the operator-set expiry; Infinity when neither. */
  expiresAtMs: number
  /** The operator-set expiry is the one `expiresAtMs` holds: past it the refusal is `credential_expired`. */
  operatorExpiry: boolean
  /** The credential's own allowlist, compiled once per change; absent when it has none (no check). */
  allowedIps?: AddressList
}

/** A client as decisions read it: `expiresAtMs` is Infinity when no operator set an expiry. */
export interface ClientEntry extends ClientInput {
  expiresAtMs: number
  /** Compiled once per change from `ipAllowlist`; absent when the client has none (then no check at all). */
  allowedIps?: AddressList
  /** `metadata` as compact JSON with every non-ASCII character escaped: a valid header value; absent: none. */
  metadataValue?: string
}

/**
 * Compact JSON that is also a valid HTTP header value: JSON.stringify already escapes control characters; DEL and
 * everything beyond ASCII become \uXXXX escapes, which any JSON parser reads back as the same text.
 */
export function headerSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

/** Matches nothing: what an allowlist that cannot be compiled becomes (refused, never silently opened). */
const NO_ADDRESS: AddressList = Object.freeze({ size: 0, has: () => false })

/** A few distinct caller IPs per client are normal; the memo bounds the memory of one that roams. */
const ALLOWLIST_MEMO = 64

function compileAllowlist(entries: readonly string[] | null | undefined): AddressList | undefined {
  if (entries === null || entries === undefined) return undefined
  const compiled = compileAddressList(entries, 'IP allowlist', ALLOWLIST_MEMO)
  return compiled.ok ? compiled.list : NO_ADDRESS
}

/** A client's limits in the shape the admission store takes, built once per change, not per request. */
export interface LimitSpec {
  readonly perDay: number | null
  readonly perMinute: number | null
}

// What is kept per row is only what decisions and later changes need, and shared wherever rows agree: at 100k
// clients and 200k grants, a copy of every input row, a Set per grant and a spec object per limit made the
// state ~2x larger and its build GC-bound (the large snapshot must load in 5 s and fit in 400 MB).
// Ids that name a loaded client or route are stored as that row's own string, not the copy each row brings.

interface ApiKeyRecord extends ApiKeyEntry {
  kind: 'api_key'
  digest: string
}

interface SecretRecord extends HmacSecret {
  kind: 'shared_secret'
  credentialId: string
  clientId: string
}

interface PermissionRecord {
  permissionId: string
  clientId: string
  routeId: string
  /** Shared between every grant of the same methods: never mutated. */
  methods: ReadonlySet<string>
}

const OK: UpsertResult = Object.freeze({ ok: true as const })
const SHARED_CACHE_LIMIT = 4096

function expiresAtMs(date: Date | null | undefined): number {
  return date === null || date === undefined ? Number.POSITIVE_INFINITY : date.getTime()
}

/**
 * A credential's two expiries folded into one number, so a decision makes one comparison; which of them it is
 * only matters once that comparison refuses.
 */
function credentialExpiry(credential: CredentialInput): { expiresAtMs: number; operatorExpiry: boolean } {
  const rotation = expiresAtMs(credential.expiresAt)
  const operator = expiresAtMs(credential.validUntil)
  return operator <= rotation && operator !== Number.POSITIVE_INFINITY
    ? { expiresAtMs: operator, operatorExpiry: true }
    : { expiresAtMs: rotation, operatorExpiry: false }
}

export class EngineState {
  readonly routes = new RouteIndex()
  private readonly clients = new Map<string, ClientEntry>()
  private readonly credentialsById = new Map<string, ApiKeyRecord | SecretRecord>()
  private readonly apiKeys = new Map<string, ApiKeyRecord>()
  private readonly secrets = new Map<string, SecretRecord[]>()
  private readonly permissionsById = new Map<string, PermissionRecord>()
  private readonly permissions = new Map<string, Map<string, PermissionRecord>>()
  private readonly limitSpecs = new Map<string, LimitSpec>()
  private readonly methodSets = new Map<string, ReadonlySet<string>>()
  private readonly specs = new Map<string, LimitSpec>()

  // --- lookups used by decide -------------------------------------------------------------------------------

  client(clientId: string): ClientEntry | undefined {
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
    const spec = this.limitSpecs.get(clientId)
    return spec === undefined ? undefined : { clientId, requestsPerDay: spec.perDay, requestsPerMinute: spec.perMinute }
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
      rateLimits: this.limitSpecs.size,
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
    // An update keeps the id string the client's other rows already refer to.
    const id = this.clients.get(client.id)?.id ?? client.id
    const entry: ClientEntry = {
      id,
      clientName: client.clientName,
      status: client.status,
      expiresAtMs: expiresAtMs(client.expiresAt),
    }
    const allowedIps = compileAllowlist(client.ipAllowlist)
    if (allowedIps !== undefined) entry.allowedIps = allowedIps
    if (client.metadata !== null && client.metadata !== undefined) entry.metadataValue = headerSafeJson(client.metadata)
    this.clients.set(id, entry)
    return OK
  }

  removeClient(clientId: string): boolean {
    return this.clients.delete(clientId)
  }

  // --- credentials ------------------------------------------------------------------------------------------

  upsertCredential(credential: CredentialInput): UpsertResult {
    this.removeCredential(credential.id)
    const clientId = this.clientId(credential.clientId)
    if (credential.kind === 'api_key') {
      if (credential.apiKeyDigest === null || !/^[0-9a-fA-F]{64}$/.test(credential.apiKeyDigest)) {
        return { ok: false, reason: 'api_key credential without a SHA-256 hex digest' }
      }
      const record: ApiKeyRecord = {
        kind: 'api_key',
        credentialId: credential.id,
        clientId,
        ...credentialExpiry(credential),
        digest: credential.apiKeyDigest.toLowerCase(),
      }
      const allowedIps = compileAllowlist(credential.ipAllowlist)
      if (allowedIps !== undefined) record.allowedIps = allowedIps
      this.apiKeys.set(record.digest, record)
      this.credentialsById.set(credential.id, record)
      return OK
    }
    if (credential.secret === null || credential.secret.length === 0) {
      return { ok: false, reason: 'shared_secret credential without its (unsealed) secret' }
    }
    const record: SecretRecord = {
      kind: 'shared_secret',
      credentialId: credential.id,
      clientId,
      secret: credential.secret,
      ...credentialExpiry(credential),
    }
    const allowedIps = compileAllowlist(credential.ipAllowlist)
    if (allowedIps !== undefined) record.allowedIps = allowedIps
    const existing = this.secrets.get(clientId)
    if (existing === undefined) {
      this.secrets.set(clientId, [record])
    } else {
      const list = existing.concat(record)
      // The current secret (no expiry, or the latest) first: most requests verify on the first try.
      list.sort((a, b) => b.expiresAtMs - a.expiresAtMs || (a.credentialId < b.credentialId ? -1 : 1))
      this.secrets.set(clientId, list)
    }
    this.credentialsById.set(credential.id, record)
    return OK
  }

  removeCredential(credentialId: string): boolean {
    const old = this.credentialsById.get(credentialId)
    if (old === undefined) return false
    this.credentialsById.delete(credentialId)
    if (old.kind === 'api_key') {
      if (this.apiKeys.get(old.digest) === old) this.apiKeys.delete(old.digest)
      return true
    }
    const list = this.secrets.get(old.clientId)
    if (list !== undefined) {
      const remaining = list.filter((s) => s !== old)
      if (remaining.length > 0) this.secrets.set(old.clientId, remaining)
      else this.secrets.delete(old.clientId)
    }
    return true
  }

  // --- permissions ------------------------------------------------------------------------------------------

  upsertPermission(permission: PermissionInput): UpsertResult {
    this.removePermission(permission.id)
    const clientId = this.clientId(permission.clientId)
    const routeId = this.routes.get(permission.routeId)?.id ?? permission.routeId
    let byRoute = this.permissions.get(clientId)
    if (byRoute === undefined) {
      byRoute = new Map()
      this.permissions.set(clientId, byRoute)
    }
    const record: PermissionRecord = {
      permissionId: permission.id,
      clientId,
      routeId,
      methods: this.methodSet(permission.allowedMethods),
    }
    byRoute.set(routeId, record)
    this.permissionsById.set(permission.id, record)
    return OK
  }

  removePermission(permissionId: string): boolean {
    const old = this.permissionsById.get(permissionId)
    if (old === undefined) return false
    this.permissionsById.delete(permissionId)
    const byRoute = this.permissions.get(old.clientId)
    if (byRoute?.get(old.routeId) === old) {
      byRoute.delete(old.routeId)
      if (byRoute.size === 0) this.permissions.delete(old.clientId)
    }
    return true
  }

  // --- rate limits (one row per client) ---------------------------------------------------------------------

  upsertRateLimit(limit: RateLimitInput): UpsertResult {
    if (limit.requestsPerDay === null && limit.requestsPerMinute === null) {
      this.removeRateLimit(limit.clientId)
      return OK
    }
    const key = `${limit.requestsPerDay}/${limit.requestsPerMinute}`
    let spec = this.specs.get(key)
    if (spec === undefined) {
      spec = Object.freeze({ perDay: limit.requestsPerDay, perMinute: limit.requestsPerMinute })
      if (this.specs.size >= SHARED_CACHE_LIMIT) this.specs.clear()
      this.specs.set(key, spec)
    }
    this.limitSpecs.set(this.clientId(limit.clientId), spec)
    return OK
  }

  removeRateLimit(clientId: string): boolean {
    return this.limitSpecs.delete(clientId)
  }

  // --- sharing ----------------------------------------------------------------------------------------------

  /** The loaded client's own id string when there is one (rows of other tables bring copies of it). */
  private clientId(id: string): string {
    return this.clients.get(id)?.id ?? id
  }

  /** One frozen Set per list of methods (upper-cased, in the row's order). */
  private methodSet(allowed: readonly string[]): ReadonlySet<string> {
    const upper = allowed.map((m) => m.toUpperCase())
    const key = upper.join(',')
    let set = this.methodSets.get(key)
    if (set === undefined) {
      set = new Set(upper)
      if (this.methodSets.size >= SHARED_CACHE_LIMIT) this.methodSets.clear()
      this.methodSets.set(key, set)
    }
    return set
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
