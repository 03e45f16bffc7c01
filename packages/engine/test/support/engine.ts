// Factories and in-memory stand-ins for engine tests and the benchmark. The crypto is the real @gatekeeper/crypto.

import { randomUUID } from 'node:crypto'
import {
  digestApiKey,
  generateApiKey,
  hmacKey,
  matchesV2Signature,
  parseApiKey,
  parseHmacAuthorization,
  prepareV2Verification,
  verifyContentDigest,
  verifyV1Signature,
} from '@gatekeeper/crypto'
import type { Admission, AdmissionRequest, AdmissionVerdict, DecideDeps } from '../../src/decide'
import type { HmacCrypto } from '../../src/hmac-verify'
import type { ClientInput, CredentialInput, PermissionInput, RouteInput, RouteMethodInput } from '../../src/types'

export const PUBLIC: RouteMethodInput = { auth_required: false, auth_type: null }
export const API_KEY: RouteMethodInput = { auth_required: true, auth_type: 'api_key' }
export const HMAC: RouteMethodInput = { auth_required: true, auth_type: 'hmac' }

export function makeRoute(overrides: Partial<RouteInput> = {}): RouteInput {
  return {
    id: randomUUID(),
    routePattern: '/api/things/*',
    domain: '*',
    serviceName: 'things',
    methods: { GET: PUBLIC, POST: API_KEY, DELETE: HMAC },
    ...overrides,
  }
}

export function makeClient(overrides: Partial<ClientInput> = {}): ClientInput {
  return { id: randomUUID(), clientName: `client-${randomUUID().slice(0, 8)}`, status: 'active', ...overrides }
}

/** An API-key credential for `clientId` and the raw key a caller would present. */
export function makeApiKey(
  clientId: string,
  overrides: Partial<CredentialInput> = {},
): { key: string; credential: CredentialInput } {
  const key = generateApiKey()
  return {
    key,
    credential: {
      id: randomUUID(),
      clientId,
      kind: 'api_key',
      apiKeyDigest: digestApiKey(key),
      secret: null,
      legacy: false,
      expiresAt: null,
      ...overrides,
    },
  }
}

export function makeSecret(clientId: string, overrides: Partial<CredentialInput> = {}): CredentialInput {
  return {
    id: randomUUID(),
    clientId,
    kind: 'shared_secret',
    apiKeyDigest: null,
    secret: `gks_${randomUUID()}`,
    legacy: false,
    expiresAt: null,
    ...overrides,
  }
}

export function makePermission(clientId: string, routeId: string, allowedMethods: string[]): PermissionInput {
  return { id: randomUUID(), clientId, routeId, allowedMethods }
}

/**
 * Single-process admission for engine and app tests: remembers nonces, records every call, and answers the
 * rate-limit part with `limitVerdict` (allowed unless a test says otherwise). The real stores live in
 * @gatekeeper/limits.
 */
export class MemoryAdmission implements Admission {
  readonly seen = new Set<string>()
  readonly requests: AdmissionRequest[] = []
  /** What a request carrying limits gets (after a fresh nonce); a function to decide per request. */
  limitVerdict: AdmissionVerdict | ((request: AdmissionRequest) => AdmissionVerdict) = { outcome: 'allowed' }
  /** Set to make every call answer this (e.g. `{ outcome: 'unavailable', which: 'nonce' }`). */
  override: AdmissionVerdict | undefined

  get calls(): number {
    return this.requests.length
  }

  async admit(request: AdmissionRequest): Promise<AdmissionVerdict> {
    this.requests.push(request)
    if (this.override !== undefined) return this.override
    if (request.nonce !== undefined) {
      const key = `${request.clientId}\u0000${request.nonce.value}`
      if (this.seen.has(key)) return { outcome: 'replayed' }
      this.seen.add(key)
    }
    if (request.limits === undefined) return { outcome: 'allowed' }
    return typeof this.limitVerdict === 'function' ? this.limitVerdict(request) : this.limitVerdict
  }
}

/** The engine's HMAC verification wired to the real @gatekeeper/crypto, as the service wires it. */
export const HMAC_CRYPTO: HmacCrypto = {
  parseHmacAuthorization,
  verifyV1Signature,
  v2: { prepareV2Verification, matchesV2Signature, verifyContentDigest },
  prepareSecret: hmacKey,
}

export interface TestDeps extends DecideDeps {
  admission: MemoryAdmission
  clock: { nowMs: number }
}

export function makeDeps(options: { nowMs?: number } = {}): TestDeps {
  const clock = { nowMs: options.nowMs ?? Date.UTC(2026, 0, 15, 12, 0, 0) }
  return {
    clock,
    now: () => clock.nowMs,
    parseApiKey,
    digestApiKey,
    hmac: HMAC_CRYPTO,
    admission: new MemoryAdmission(),
  }
}
