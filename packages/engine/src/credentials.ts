// Which credential a request carries, from its Authorization header, its raw query string and whether it also
// has an X-API-Key / Api-Key header.
//
// authz reads one credential; the upstream's framework may read another. So a request that carries a
// credential in more than one place, or a parameter a framework could read as `api_key`, is `ambiguous` and
// refused (400 ambiguous_credential) before any decision: a second Authorization value (Hono on node-server
// joins duplicates with ", "), a second `api_key`, a lookalike name (`API_KEY`, `api_key[]`, `api_key%00`,
// `api.key`), an `api_key` next to a `;` (a parameter separator to some parsers), a key in the header and the
// query (even the same key), an Authorization header next to X-API-Key / Api-Key.
// What cannot be a credential is `invalid` (401): unknown schemes (`Basic`, `Digest`, ...), empty or malformed
// values.

export type CredentialFailure =
  | 'duplicate_hmac_parameter'
  | 'unsupported_scheme'
  | 'empty_credential'
  | 'malformed_credential'

export type CredentialAmbiguity =
  | 'multiple_authorization_values'
  | 'multiple_api_key_parameters'
  | 'api_key_lookalike_parameter'
  | 'api_key_with_semicolon'
  | 'header_and_query_credentials'
  | 'api_key_header_with_credential'
  | 'credential_repeated'

/** Where the `api_key` parameter sits in the raw query (without the `?`): [start, end). */
export interface QuerySpan {
  start: number
  end: number
}

export type Credentials =
  | { kind: 'none' }
  | { kind: 'api_key'; key: string; source: 'header' }
  | { kind: 'api_key'; key: string; source: 'query'; span: QuerySpan }
  | { kind: 'hmac'; header: string }
  | { kind: 'invalid'; reason: CredentialFailure }
  | { kind: 'ambiguous'; reason: CredentialAmbiguity }

const MAX_KEY_LENGTH = 1024

const NONE: Credentials = Object.freeze({ kind: 'none' as const })

function invalid(reason: CredentialFailure): Credentials {
  return { kind: 'invalid', reason }
}

const ambiguities = new Map<CredentialAmbiguity, Credentials>()
function ambiguous(reason: CredentialAmbiguity): Credentials {
  let c = ambiguities.get(reason)
  if (c === undefined) {
    c = Object.freeze({ kind: 'ambiguous' as const, reason })
    ambiguities.set(reason, c)
  }
  return c
}

export interface CredentialHeaders {
  /** More than one Authorization header line. */
  multipleAuthorization?: boolean
  /** An X-API-Key or Api-Key header is present (authz does not read it; frameworks do). */
  apiKeyHeader?: boolean
}

export function extractCredentials(
  authorization: string | undefined,
  rawQuery: string,
  headers: CredentialHeaders = {},
): Credentials {
  if (headers.multipleAuthorization === true) return ambiguous('multiple_authorization_values')
  const header = authorization === undefined || authorization.length === 0 ? NONE : fromHeader(authorization)
  if (header.kind === 'ambiguous') return header
  const query = rawQuery.length === 0 ? NONE : fromQuery(rawQuery)
  if (query.kind === 'ambiguous') return query
  if (headers.apiKeyHeader === true && (header.kind !== 'none' || query.kind !== 'none')) {
    return ambiguous('api_key_header_with_credential')
  }
  if (header.kind === 'none') return query
  if (query.kind !== 'none') return ambiguous('header_and_query_credentials')
  return header
}

/** Visible ASCII without `,` (a comma means a second joined value) and without `"`. */
const KEY_TOKEN = /^[\x21\x23-\x2b\x2d-\x7e]+$/

function isKeyToken(key: string): boolean {
  return key.length > 0 && key.length <= MAX_KEY_LENGTH && KEY_TOKEN.test(key)
}

const KEY_SCHEMES = new Set(['bearer', 'apikey'])

/** After a comma, a word followed by a space and a token (`, Bearer k`, `, HMAC client_id=...`), or a bare scheme. */
const SECOND_SCHEME = /,\s*(?:[A-Za-z][A-Za-z0-9_-]*\s+[^\s=,]|(?:bearer|apikey|hmac|basic|digest)\s*(?:,|$))/i

const SIGNED_PARAMETERS =
  /^(?:version="[^",\s]*",)?client_id="[^",\s]*",timestamp="[^",\s]*",nonce="[^",\s]*",signature="[^",\s]*"$/

/**
 * `Bearer <key>` / `ApiKey <key>` as clients write them (one space, nothing around): what the general reading below
 * makes of such a value, found by one regex instead of trimming, slicing, lower-casing and a set lookup.
 */
const PLAIN_KEY_HEADER = new RegExp(`^(?:Bearer|ApiKey) ([\\x21\\x23-\\x2b\\x2d-\\x7e]{1,${MAX_KEY_LENGTH}})$`)

function fromHeader(value: string): Credentials {
  const plain = PLAIN_KEY_HEADER.exec(value)
  if (plain !== null) return { kind: 'api_key', key: plain[1] as string, source: 'header' }
  const v = value.trim()
  if (v.length === 0) return NONE
  const space = v.indexOf(' ')
  if (space < 0) {
    if (v.includes(',')) return ambiguous('multiple_authorization_values')
    const lower = v.toLowerCase()
    if (KEY_SCHEMES.has(lower) || lower === 'hmac') return invalid('empty_credential')
    if (!isKeyToken(v)) return invalid('malformed_credential')
    return { kind: 'api_key', key: v, source: 'header' }
  }

  const scheme = v.slice(0, space).toLowerCase()
  const rest = v.slice(space + 1).trimStart()
  if (KEY_SCHEMES.has(scheme)) {
    if (rest.length === 0) return invalid('empty_credential')
    if (rest.includes(',')) return ambiguous('multiple_authorization_values')
    if (!isKeyToken(rest)) return invalid('malformed_credential')
    return { kind: 'api_key', key: rest, source: 'header' }
  }
  if (scheme === 'hmac') {
    if (rest.length === 0) return invalid('empty_credential')
    // The parameters exactly as the signers write them (distinct names, values without a comma, quote or space):
    // neither a second scheme nor a repeated parameter, so the two scans below are skipped.
    if (SIGNED_PARAMETERS.test(rest)) return { kind: 'hmac', header: v }
    // The HMAC header has commas of its own; a joined duplicate shows as a second scheme or a repeated parameter.
    if (SECOND_SCHEME.test(rest)) return ambiguous('multiple_authorization_values')
    if (hasDuplicateParameter(rest)) return invalid('duplicate_hmac_parameter')
    return { kind: 'hmac', header: v }
  }
  // `keyA, keyB` (two bare keys joined) lands here with scheme `keya,`.
  if (scheme.includes(',')) return ambiguous('multiple_authorization_values')
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

/** Form decoding that keeps an invalid escape as it is (what lenient parsers do). */
function lenientDecode(s: string): string {
  const plus = s.replaceAll('+', ' ')
  return plus.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run)
    } catch {
      return Buffer.from(run.replaceAll('%', ''), 'hex').toString('latin1')
    }
  })
}

/**
 * A name some framework could read as `api_key` although it is not exactly that: any case, control
 * characters or whitespace in it (`api_key%00`, `api_key+`), a `[...]` suffix (PHP, Rails, qs: `api_key[]`,
 * `api_key[0]`), `.` or space for `_` (PHP).
 */
function looksLikeApiKey(rawName: string): boolean {
  let name = lenientDecode(rawName)
  const bracket = name.indexOf('[')
  if (bracket >= 0) name = name.slice(0, bracket)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const stripped = name.replace(/[\x00-\x1f\x7f\s]/g, '').replaceAll('.', '_')
  // PHP reads a space (`api+key`, `api%20key`) as `_` too, rather than dropping it.
  const phpName = name.trim().replace(/[\s.]/g, '_')
  return stripped.toLowerCase() === 'api_key' || phpName.toLowerCase() === 'api_key'
}

/**
 * Whether the API key authz accepted appears again in the target, outside the `api_key` parameter it was read
 * from (`?apikey=<key>`, `?api-key=<key>` next to `Authorization: Bearer <key>`): the upstream would receive the
 * credential authz consumed under a name authz does not know, and may read it.
 */
export function repeatsKey(target: string, credentials: Credentials): boolean {
  if (credentials.kind !== 'api_key') return false
  let rest = target
  if (credentials.source === 'query') {
    const q = target.indexOf('?')
    rest = `${target.slice(0, q + 1 + credentials.span.start)}&${target.slice(q + 1 + credentials.span.end)}`
  }
  if (rest.includes(credentials.key)) return true
  // Decoding only turns `+` into a space, which no key holds, unless there is an escape to spell the key anew.
  return rest.includes('%') && lenientDecode(rest).includes(credentials.key)
}

/** Anything that could name `_method` in some spelling: `method` in any case, or an escape. */
const MAY_NAME_METHOD = /method|%/i

/**
 * Whether the query holds a `_method` parameter in some spelling (any case, encoded, `[...]` suffix, `&` or `;`
 * separated). Express's method-override, Symfony and Laravel read it as the method to run: a POST allowed
 * as a POST would run as the DELETE it names.
 */
export function hasMethodOverrideParameter(query: string): boolean {
  if (!MAY_NAME_METHOD.test(query)) return false
  for (const part of query.split(/[&;]/)) {
    const eq = part.indexOf('=')
    let name = lenientDecode(eq >= 0 ? part.slice(0, eq) : part)
    const bracket = name.indexOf('[')
    if (bracket >= 0) name = name.slice(0, bracket)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
    if (name.replace(/[\x00-\x1f\x7f\s]/g, '').toLowerCase() === '_method') return true
  }
  return false
}

/** Anything that could name `api_key` in some spelling: `api` in any case, or an escape. */
const MAY_NAME_API_KEY = /[aA][pP][iI]|%/

/** The `api_key` query parameter. Names are compared decoded, as the upstream's framework would decode them. */
function fromQuery(query: string): Credentials {
  if (!MAY_NAME_API_KEY.test(query)) return NONE
  let found: Credentials | undefined
  let start = 0
  while (start <= query.length) {
    let end = query.indexOf('&', start)
    if (end < 0) end = query.length
    const part = query.slice(start, end)
    const eq = part.indexOf('=')
    const rawName = eq >= 0 ? part.slice(0, eq) : part
    if (part.includes(';')) {
      // `x=1;api_key=B` and `api_key=A;x=1` read differently where `;` separates parameters.
      for (const sub of [rawName, ...part.split(';')]) {
        const subEq = sub.indexOf('=')
        if (looksLikeApiKey(subEq >= 0 ? sub.slice(0, subEq) : sub)) return ambiguous('api_key_with_semicolon')
      }
    } else if (formDecode(rawName) === 'api_key') {
      if (found !== undefined) return ambiguous('multiple_api_key_parameters')
      const value = eq >= 0 ? formDecode(part.slice(eq + 1)) : ''
      if (value === undefined || value.length === 0) {
        found = invalid(value === '' ? 'empty_credential' : 'malformed_credential')
      } else if (!isKeyToken(value)) {
        found = invalid('malformed_credential')
      } else {
        found = { kind: 'api_key', key: value, source: 'query', span: { start, end } }
      }
    } else if (looksLikeApiKey(rawName)) {
      return ambiguous('api_key_lookalike_parameter')
    }
    start = end + 1
  }
  return found ?? NONE
}

/**
 * The request target without the `api_key` parameter at `span` (and one `&` next to it, or the `?` when it was
 * the only parameter); every other byte as sent. What the upstream receives instead of the client's target.
 */
export function targetWithoutParameter(target: string, span: QuerySpan): string {
  const q = target.indexOf('?')
  if (q < 0) return target
  const start = q + 1 + span.start
  const end = q + 1 + span.end
  if (end < target.length) return target.slice(0, start) + target.slice(end + 1)
  if (span.start > 0) return target.slice(0, start - 1)
  return target.slice(0, q)
}

/** `name=value` pairs separated by `&` or `;`, for redaction. */
const QUERY_PAIR = /(^|[&;])([^&;=]*)=([^&;]*)/g

/** The request target with the value of every `api_key` parameter and lookalike replaced: fit for a log line. */
export function redactTarget(target: string): string {
  const q = target.indexOf('?')
  if (q < 0) return target
  const query = target.slice(q + 1)
  if (!MAY_NAME_API_KEY.test(query)) return target
  const redacted = query.replace(QUERY_PAIR, (pair, sep: string, name: string) =>
    formDecode(name) === 'api_key' || looksLikeApiKey(name) ? `${sep}${name}=[redacted]` : pair,
  )
  return `${target.slice(0, q + 1)}${redacted}`
}
