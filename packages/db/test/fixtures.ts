import { randomBytes, randomUUID } from 'node:crypto'
import type { NewClient, NewClientCredential, NewClientPermission, NewRateLimit, NewRoute } from '../src/schema'

// Test data factories: unique values on every call, overridable. No raw credentials involved: API key
// rows get a random digest, secret rows a random well-formed sealed value (not openable by any key).

function unique(): string {
  return randomUUID().slice(0, 8)
}

export function routeFixture(overrides: Partial<NewRoute> = {}): NewRoute {
  const n = unique()
  return {
    routePattern: `/t-${n}/*`,
    domain: `api-${n}.example.com`,
    serviceName: `service-${n}`,
    methods: {
      GET: { auth_required: false, auth_type: null },
      POST: { auth_required: true, auth_type: 'api_key' },
    },
    ...overrides,
  }
}

export function clientFixture(overrides: Partial<NewClient> = {}): NewClient {
  return { clientName: `client-${unique()}`, ...overrides }
}

export function apiKeyCredentialFixture(
  clientId: string,
  overrides: Partial<NewClientCredential> = {},
): NewClientCredential {
  return {
    clientId,
    kind: 'api_key',
    apiKeyDigest: randomBytes(32).toString('hex'),
    apiKeyPrefix: 'gk_test',
    apiKeyLast4: randomBytes(2).toString('hex'),
    ...overrides,
  }
}

const FIXTURE_SEAL_KEY_ID = 'fixture'

export function sharedSecretCredentialFixture(
  clientId: string,
  overrides: Partial<NewClientCredential> = {},
): NewClientCredential {
  const part = (bytes: number) => randomBytes(bytes).toString('base64url')
  return {
    clientId,
    kind: 'shared_secret',
    secretSealed: `v1.${FIXTURE_SEAL_KEY_ID}.${part(12)}.${part(47)}.${part(16)}`,
    secretKeyId: FIXTURE_SEAL_KEY_ID,
    ...overrides,
  }
}

export function permissionFixture(
  clientId: string,
  routeId: string,
  overrides: Partial<NewClientPermission> = {},
): NewClientPermission {
  return { clientId, routeId, allowedMethods: ['GET'], ...overrides }
}

export function rateLimitFixture(clientId: string, overrides: Partial<NewRateLimit> = {}): NewRateLimit {
  return { clientId, requestsPerDay: 1000, ...overrides }
}
