// The few request headers /authz reads, taken either from node's raw header list (the real server) or from
// a Fetch `Headers` (app.request() in tests, other runtimes).
//
// Why the raw list: node's `incoming.headers` silently DROPS a second Authorization (and Host) value, and
// Fetch `Headers` joins duplicates with ", ". Scanning `rawHeaders` sees every value, so a duplicated
// Authorization or X-Original-* header is refused for what it is. With `Headers` the joined value is still
// refused downstream (a comma or a space where none may be), so both paths fail closed.

export interface AuthzHeaders {
  originalUri: string | undefined
  originalMethod: string | undefined
  originalHost: string | undefined
  host: string | undefined
  authorization: string | undefined
  /** HMAC v2. Repeated field lines are joined with ", ": one structured dictionary, as RFC 9110 combines them. */
  contentDigest: string | undefined
  xRealIp: string | undefined
  xForwardedFor: string | undefined
  xOriginalClientIp: string | undefined
  requestId: string | undefined
  /** X-API-Key or Api-Key: authz does not read them, but frameworks do, so one next to a credential is refused. */
  apiKey: string | undefined
  /** A header that must appear once appeared more than once (the lower-case name). */
  duplicate: string | undefined
  /** More than one Authorization value. */
  multipleAuthorization: boolean
}

type Field = Exclude<keyof AuthzHeaders, 'duplicate' | 'multipleAuthorization'>

// Lower-case name -> field; `single` headers may not repeat (X-Forwarded-For legitimately lists several).
export const FIELDS: ReadonlyMap<string, { field: Field; single: boolean }> = new Map([
  ['x-original-uri', { field: 'originalUri', single: true }],
  ['x-original-method', { field: 'originalMethod', single: true }],
  ['x-original-host', { field: 'originalHost', single: true }],
  ['host', { field: 'host', single: true }],
  ['authorization', { field: 'authorization', single: false }],
  ['content-digest', { field: 'contentDigest', single: false }],
  ['x-real-ip', { field: 'xRealIp', single: false }],
  ['x-forwarded-for', { field: 'xForwardedFor', single: false }],
  ['x-original-client-ip', { field: 'xOriginalClientIp', single: false }],
  ['x-request-id', { field: 'requestId', single: false }],
  ['x-api-key', { field: 'apiKey', single: false }],
  ['api-key', { field: 'apiKey', single: false }],
])

type Spec = { field: Field; single: boolean }

// By name length: the spellings nginx and common clients send, then the lower-case ones. A name is compared
// with the few of its length (===), not looked up in a Map: a header name from node's parser is a new string on
// every request, and hashing it for a Map lookup cost ~300 instructions per header (callgrind). A name
// of a matching length but another spelling (`x-ORIGINAL-uri`) is lower-cased and looked up once.
const BY_LENGTH: ((readonly [string, Spec])[] | undefined)[] = []
for (const name of [
  'X-Original-URI',
  'X-Original-Method',
  'X-Original-Host',
  'Host',
  'Authorization',
  'Content-Digest',
  'X-Real-IP',
  'X-Forwarded-For',
  'X-Original-Client-IP',
  'X-Request-ID',
  'X-API-Key',
  'X-Api-Key',
  'Api-Key',
  ...FIELDS.keys(),
]) {
  const spec = FIELDS.get(name.toLowerCase())
  if (spec === undefined) continue
  const list = BY_LENGTH[name.length]
  if (list === undefined) BY_LENGTH[name.length] = [[name, spec]]
  else list.push([name, spec])
}

function specOf(name: string): Spec | undefined {
  const candidates = BY_LENGTH[name.length]
  if (candidates === undefined) return undefined
  for (const [spelling, spec] of candidates) if (name === spelling) return spec
  return FIELDS.get(name.toLowerCase())
}

function empty(): AuthzHeaders {
  return {
    originalUri: undefined,
    originalMethod: undefined,
    originalHost: undefined,
    host: undefined,
    authorization: undefined,
    contentDigest: undefined,
    xRealIp: undefined,
    xForwardedFor: undefined,
    xOriginalClientIp: undefined,
    requestId: undefined,
    apiKey: undefined,
    duplicate: undefined,
    multipleAuthorization: false,
  }
}

/** From node's `IncomingMessage.rawHeaders` (name, value, name, value, ...). */
export function fromRawHeaders(raw: readonly string[]): AuthzHeaders {
  const h = empty()
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? ''
    const spec = specOf(name)
    if (spec === undefined) continue
    const value = raw[i + 1] ?? ''
    const previous = h[spec.field]
    if (previous === undefined) {
      h[spec.field] = value
      continue
    }
    if (spec.single) h.duplicate ??= name.toLowerCase()
    else if (spec.field === 'authorization') h.multipleAuthorization = true
    // Joined as Fetch would; for X-Forwarded-For that is the list semantics, elsewhere it fails validation.
    h[spec.field] = `${previous}, ${value}`
  }
  return h
}

/** From a Fetch `Headers`; duplicates arrive joined with ", " and are refused by the later checks. */
export function fromFetchHeaders(headers: Headers): AuthzHeaders {
  const h = empty()
  for (const [name, spec] of FIELDS) {
    const value = headers.get(name)
    if (value !== null) h[spec.field] = value
  }
  return h
}
