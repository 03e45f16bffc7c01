import { apiKeyDisplayParts, digestApiKey, parseApiKey, type Sealer } from '@gatekeeper/crypto'
import { ApiError } from '@gatekeeper/models'
import { clientCredentials, type NewClientCredential } from '../schema'
import type { AdminTx } from './types'

export type CredentialInput = {
  /** A raw API key: stored only as its SHA-256 digest plus display parts. */
  apiKey?: string | undefined
  /** A raw shared secret: stored only sealed, with the client id as the seal's aad. */
  sharedSecret?: string | undefined
  /** Imported from the original system (no `gk_` prefix or checksum). */
  legacy: boolean
  /** Set to keep a rotated-out credential working until then; omitted (null) for the current one. */
  expiresAt?: Date | null
  /** The operator-set expiry (`credential_expired` past it); omitted: none. */
  validUntil?: Date | null
  /** The credentials' own IP allowlist (a rotation carries the previous one's over); omitted: none. */
  ipAllowlist?: string[] | null
}

/** Builds the rows without touching the database (raw values go no further than this function). */
export function credentialRows(sealer: Sealer, clientId: string, input: CredentialInput): NewClientCredential[] {
  const rows: NewClientCredential[] = []
  const expiresAt = input.expiresAt ?? null
  const validUntil = input.validUntil ?? null
  const ipAllowlist = input.ipAllowlist ?? null
  if (input.apiKey !== undefined) {
    const parsed = parseApiKey(input.apiKey)
    // A key /authz would refuse before any lookup (bad checksum, spaces...) must not be stored as if it worked.
    if (!parsed.ok || (parsed.format === 'legacy' && !input.legacy)) {
      throw ApiError.badRequest('api_key is not a usable API key')
    }
    const { prefix, last4 } = apiKeyDisplayParts(input.apiKey)
    rows.push({
      clientId,
      kind: 'api_key',
      apiKeyDigest: digestApiKey(input.apiKey),
      apiKeyPrefix: prefix,
      apiKeyLast4: last4,
      legacy: input.legacy,
      expiresAt,
      validUntil,
      ipAllowlist,
    })
  }
  if (input.sharedSecret !== undefined) {
    if (input.sharedSecret.length === 0) throw ApiError.badRequest('shared_secret must not be empty')
    rows.push({
      clientId,
      kind: 'shared_secret',
      secretSealed: sealer.seal(input.sharedSecret, clientId),
      secretKeyId: sealer.activeKeyId,
      legacy: input.legacy,
      expiresAt,
      validUntil,
      ipAllowlist,
    })
  }
  return rows
}

/**
 * Stores a client's credentials: the API key as digest + prefix + last 4, the shared secret sealed
 * (aad = client id). They become the client's current credentials, so the client must not already
 * have a current one of that kind (409). A digest already in use by any client is a 409 too.
 */
export async function insertCredentialRows(
  tx: AdminTx,
  sealer: Sealer,
  clientId: string,
  input: CredentialInput,
): Promise<void> {
  const rows = credentialRows(sealer, clientId, input)
  if (rows.length > 0) await tx.insert(clientCredentials).values(rows)
}
