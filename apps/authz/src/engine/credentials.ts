// Which credential a request carries, from its Authorization header and its raw query string.
// Anything that could mean two different credentials is `invalid`: a second Authorization value (Hono on
// node-server joins duplicate headers with ", "), a second `api_key` parameter, or a header and a query
// credential that differ. Unknown schemes (`Basic`, `Digest`, ...) are invalid, not ignored.

export type CredentialFailure =
  | 'multiple_authorization_values'
  | 'duplicate_hmac_parameter'
  | 'unsupported_scheme'
  | 'empty_credential'
  | 'malformed_credential'
  | 'multiple_api_key_parameters'
  | 'conflicting_credentials'

export type Credentials =
  | { kind: 'none' }
  | { kind: 'api_key'; key: string; source: 'header' | 'query' }
  | { kind: 'hmac'; header: string }
  | { kind: 'invalid'; reason: CredentialFailure }

export const MAX_KEY_LENGTH = 1024

const NONE: Credentials = Object.freeze({ kind: 'none' as const })

function invalid(reason: CredentialFailure): Credentials {
  return { kind: 'invalid', reason }
}

export function extractCredentials(authorization: string | undefined, rawQuery: string): Credentials {
  const header = authorization === undefined || authorization.length === 0 ? NONE : fromHeader(authorization)
  if (header.kind === 'invalid') return header
  const query = rawQuery.length === 0 ? NONE : fromQuery(rawQuery)
  if (query.kind === 'none') return header
  if (query.kind === 'invalid' || header.kind === 'none') return query
  if (header.kind === 'api_key' && query.kind === 'api_key' && header.key === query.key) return header
  return invalid('conflicting_credentials')
}

/** Visible ASCII without `,` (a comma means a second joined value) and without `"`. */
const KEY_TOKEN = /^[\x21\x23-\x2b\x2d-\x7e]+$/

function isKeyToken(key: string): boolean {
  return key.length > 0 && key.length <= MAX_KEY_LENGTH && KEY_TOKEN.test(key)
}

const KEY_SCHEMES = new Set(['bearer', 'apikey'])

export function fromHeader(value: string): Credentials {
  const v = value.trim()
  if (v.length === 0) return NONE
  const space = v.indexOf(' ')
  if (space < 0) {
    if (v.includes(',')) return invalid('multiple_authorization_values')
    const lower = v.toLowerCase()
    if (KEY_SCHEMES.has(lower) || lower === 'hmac') return invalid('empty_credential')
    if (!isKeyToken(v)) return invalid('malformed_credential')
    return { kind: 'api_key', key: v, source: 'header' }
  }

  const scheme = v.slice(0, space).toLowerCase()
  const rest = v.slice(space + 1).trimStart()
  if (KEY_SCHEMES.has(scheme)) {
    if (rest.length === 0) return invalid('empty_credential')
    if (rest.includes(',')) return invalid('multiple_authorization_values')
    if (!isKeyToken(rest)) return invalid('malformed_credential')
    return { kind: 'api_key', key: rest, source: 'header' }
  }
  if (scheme === 'hmac') {
    if (rest.length === 0) return invalid('empty_credential')
    // The HMAC header has commas of its own; a joined duplicate shows as a second scheme or a repeated parameter.
    if (/,\s*hmac\s/i.test(rest)) return invalid('multiple_authorization_values')
    if (hasDuplicateParameter(rest)) return invalid('duplicate_hmac_parameter')
    return { kind: 'hmac', header: v }
  }
  // `keyA, keyB` (two bare keys joined) lands here with scheme `keya,`.
  if (scheme.includes(',')) return invalid('multiple_authorization_values')
  return invalid('unsupported_scheme')
}

function hasDuplicateParameter(params: string): boolean {
  const seen = new Set<string>()
  for (const m of params.matchAll(/(?:^|,)\s*([A-Za-z0-9_-]+)\s*=/g)) {
    const name = (m[1] ?? '').toLowerCase()
    if (seen.has(name)) return true
    seen.add(name)
  }
  return false
}

/** application/x-www-form-urlencoded decoding of one name or value; undefined if the escapes are invalid. */
function formDecode(s: string): string | undefined {
  if (!s.includes('%') && !s.includes('+')) return s
  try {
    return decodeURIComponent(s.replaceAll('+', ' '))
  } catch {
    return undefined
  }
}

/** The `api_key` query parameter. Names are compared decoded, as the upstream's framework would decode them. */
export function fromQuery(query: string): Credentials {
  if (!query.includes('api_key') && !query.includes('%')) return NONE
  let found: string | undefined
  let start = 0
  while (start <= query.length) {
    let end = query.indexOf('&', start)
    if (end < 0) end = query.length
    const eq = query.indexOf('=', start)
    const nameEnd = eq >= 0 && eq < end ? eq : end
    const name = formDecode(query.slice(start, nameEnd))
    if (name === 'api_key') {
      if (found !== undefined) return invalid('multiple_api_key_parameters')
      const value = nameEnd < end ? formDecode(query.slice(nameEnd + 1, end)) : ''
      if (value === undefined || value.length === 0)
        return invalid(value === '' ? 'empty_credential' : 'malformed_credential')
      if (!isKeyToken(value)) return invalid('malformed_credential')
      found = value
    }
    start = end + 1
  }
  return found === undefined ? NONE : { kind: 'api_key', key: found, source: 'query' }
}
