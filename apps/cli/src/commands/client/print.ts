import type { ClientRotated } from '@gatekeeper/db/admin'
import type { ClientCreatedWire, ClientWire, CredentialWire } from '@gatekeeper/models'
import { formatTime, type Output } from '../../output'
import { statusText } from '../../render'
import { nowSeconds } from './shared'

export function printClient(out: Output, c: ClientWire): void {
  out.fields([
    ['Client ID', c.client_id],
    ['Name', c.client_name],
    ['Status', statusText(c.status, out.style)],
    ['Expires', expiryText(c.expires_at)],
    ['API key', c.api_key_masked === null ? 'none' : `${c.api_key_masked}${expirySuffix(c.api_key_expires_at)}`],
    [
      'Shared secret',
      c.has_shared_secret ? `set (never shown again)${expirySuffix(c.shared_secret_expires_at)}` : 'none',
    ],
    ['IP allowlist', c.ip_allowlist == null ? 'any IP' : c.ip_allowlist.join(', ')],
    ['Metadata', c.metadata == null ? 'none' : JSON.stringify(c.metadata)],
    ['Last used', c.last_used_at == null ? 'never' : formatTime(c.last_used_at)],
    ['Version', String(c.version ?? '-')],
    ['Updated', formatTime(c.updated_at)],
  ])
}

/** The live credentials: kind, state, prefix, created, expiry, last use and own allowlist; never secret material. */
export function printCredentialList(out: Output, credentials: readonly CredentialWire[]): void {
  if (credentials.length === 0) return
  out.line()
  out.table(
    ['CREDENTIAL ID', 'KIND', 'STATE', 'PREFIX', 'CREATED', 'EXPIRES', 'LAST USED', 'IP ALLOWLIST'],
    credentials.map((c) => [
      c.credential_id,
      c.kind,
      c.state,
      c.prefix ?? '-',
      formatTime(c.created_at),
      expiryText(c.expires_at),
      c.last_used_at === null ? 'never' : formatTime(c.last_used_at),
      c.ip_allowlist === null ? "client's" : c.ip_allowlist.join(', '),
    ]),
  )
}

function expiryText(at: number | null | undefined): string {
  if (at == null) return 'never'
  return `${formatTime(at)}${at <= nowSeconds() ? ' (expired)' : ''}`
}

function expirySuffix(at: number | null | undefined): string {
  return at == null ? '' : `, expires ${expiryText(at)}`
}

export function printCredentials(
  out: Output,
  name: string,
  clientId: string,
  raw: Pick<ClientCreatedWire, 'api_key' | 'shared_secret'> | Pick<ClientRotated, 'api_key' | 'shared_secret'>,
): void {
  const entries: Array<[string, string]> = [['Client ID', clientId]]
  if (raw.api_key !== undefined) entries.push(['API key', raw.api_key])
  if (raw.shared_secret !== undefined) entries.push(['Shared secret', raw.shared_secret])
  out.credentials(
    `Credentials for ${name}`,
    entries,
    'Shown once. Store them now: Gatekeeper keeps only a digest of the key and a sealed secret.',
  )
}
