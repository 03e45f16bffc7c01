import { CLIENT_STATUSES, type ClientDetailWire, type ClientStatus, type CredentialWire } from '@gatekeeper/models'
import { CliError } from '../../errors'

export type Json = { json?: boolean }

/** `--metadata '{...}'`: a JSON object, or `null` to clear (the size limits are checked by the operation). */
export function parseMetadata(text: string): Record<string, unknown> | null {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw CliError.usage(`--metadata: not JSON: ${text.length > 60 ? `${text.slice(0, 60)}…` : text}`)
  }
  if (value === null) return null
  if (typeof value !== 'object' || Array.isArray(value))
    throw CliError.usage('--metadata: expected a JSON object (or null)')
  return value as Record<string, unknown>
}

/** `--credential`: the client's current credential of a kind (`api_key`, `shared_secret`), or a credential id. */
export function findCredential(detail: ClientDetailWire, which: string): CredentialWire {
  const credentials = detail.credentials ?? []
  const found =
    which === 'api_key' || which === 'shared_secret'
      ? credentials.find((c) => c.kind === which && c.state === 'current')
      : credentials.find((c) => c.credential_id === which)
  if (found === undefined) {
    throw CliError.usage(
      `--credential: client ${detail.client_name} has no ${which === 'api_key' || which === 'shared_secret' ? `current ${which}` : `live credential ${which}`}`,
    )
  }
  return found
}

/** Repeatable `--allow-ip`: each value may also hold several entries separated by commas. */
export function collectIps(value: string, previous: string[]): string[] {
  return [...previous, ...splitIps(value)]
}

export function splitIps(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0)
}

export const nowSeconds = () => Math.floor(Date.now() / 1000)

export const EXPIRES_HELP = 'a span from now (30d, 12h), an ISO time (2026-12-31T18:00:00Z) or epoch seconds'

export function parseStatus(text: string): ClientStatus {
  const status = CLIENT_STATUSES.find((s) => s === text.trim().toLowerCase())
  if (status === undefined) throw CliError.usage(`--status: "${text}" is not one of ${CLIENT_STATUSES.join(', ')}`)
  return status
}
