import type { CredentialKind } from '@gatekeeper/models'
import type { ClientDetail } from '../../api/lifecycle'

export type CredentialRow = {
  /** Stable React key. */
  key: string
  /** null for a row read from the client's summary fields (a console-api without per-credential records). */
  credentialId: string | null
  kind: CredentialKind
  /** The key's visible start (or the masked key); null for a shared secret, which has none. */
  prefix: string | null
  createdAt: number | null
  expiresAt: number | null
  /** undefined: not tracked by this console-api. */
  lastUsedAt: number | null | undefined
  /** undefined: no per-credential allowlist on this console-api. */
  ipAllowlist: ReadonlyArray<string> | null | undefined
  state: 'current' | 'previous'
}

export type CredentialRows = { source: 'credentials' | 'summary'; rows: ReadonlyArray<CredentialRow> }

const KIND_ORDER: Record<CredentialKind, number> = { api_key: 0, shared_secret: 1 }

/**
 * The credentials table's rows: the client's own credential records when the console-api serves them (current
 * before previous, API keys before secrets, newest first), else one row per credential kind the client has,
 * from the summary fields every console-api returns (masked key, expiries).
 */
export function credentialRows(client: ClientDetail): CredentialRows {
  if (client.credentials !== undefined) {
    const rows = client.credentials.map(
      (credential): CredentialRow => ({
        key: credential.credential_id,
        credentialId: credential.credential_id,
        kind: credential.kind,
        prefix: credential.prefix ?? null,
        createdAt: credential.created_at,
        expiresAt: credential.expires_at ?? null,
        lastUsedAt: credential.last_used_at,
        ipAllowlist: credential.ip_allowlist,
        state: credential.state,
      }),
    )
    rows.sort(
      (a, b) =>
        (a.state === b.state ? 0 : a.state === 'current' ? -1 : 1) ||
        KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
        (b.createdAt ?? 0) - (a.createdAt ?? 0),
    )
    return { source: 'credentials', rows }
  }
  const rows: Array<CredentialRow> = []
  const summary = { credentialId: null, createdAt: null, lastUsedAt: undefined, ipAllowlist: undefined } as const
  if (client.api_key_masked !== null) {
    rows.push({
      ...summary,
      key: 'api_key',
      kind: 'api_key',
      prefix: client.api_key_masked,
      expiresAt: client.api_key_expires_at ?? null,
      state: 'current',
    })
  }
  if (client.has_shared_secret === true) {
    rows.push({
      ...summary,
      key: 'shared_secret',
      kind: 'shared_secret',
      prefix: null,
      expiresAt: client.shared_secret_expires_at ?? null,
      state: 'current',
    })
  }
  return { source: 'summary', rows }
}

export const KIND_LABEL: Record<CredentialKind, string> = { api_key: 'API key', shared_secret: 'HMAC secret' }

export function isPast(epochSeconds: number | null | undefined, nowSeconds = Date.now() / 1000): boolean {
  return epochSeconds !== null && epochSeconds !== undefined && epochSeconds <= nowSeconds
}
