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
  /** Believed only from a trusted forwarder (client-ip.ts); X-Real-IP and X-Forwarded-For are not read at all. */
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

/** Every field, in slot order: the raw-header scan fills an array by slot and names the fields once, at the end. */
const FIELD_NAMES: readonly Field[] = [
  'originalUri',
  'originalMethod',
  'originalHost',
  'host',
  'authorization',
  'contentDigest',
  'xOriginalClientIp',
  'requestId',
  'apiKey',
]
const AUTHORIZATION_SLOT = FIELD_NAMES.indexOf('authorization')

type Spec = { field: Field; slot: number; single: boolean }

const spec = (field: Field, single: boolean): Spec => ({ field, slot: FIELD_NAMES.indexOf(field), single })

// Lower-case name -> field; `single` headers may not repeat.
export const FIELDS: ReadonlyMap<string, Spec> = new Map([
  ['x-original-uri', spec('originalUri', true)],
  ['x-original-method', spec('originalMethod', true)],
  ['x-original-host', spec('originalHost', true)],
  ['host', spec('host', true)],
  ['authorization', spec('authorization', false)],
  ['content-digest', spec('contentDigest', false)],
  ['x-original-client-ip', spec('xOriginalClientIp', false)],
  ['x-request-id', spec('requestId', false)],
  ['x-api-key', spec('apiKey', false)],
  ['api-key', spec('apiKey', false)],
])

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
    xOriginalClientIp: undefined,
    requestId: undefined,
    apiKey: undefined,
    duplicate: undefined,
    multipleAuthorization: false,
  }
}

/**
 * From node's `IncomingMessage.rawHeaders` (name, value, name, value, ...). Values are gathered in an array by
 * slot, not stored as `h[field]`: a property store or load under a different name each time went through V8's
 * megamorphic keyed-access path (~500 instructions each, callgrind).
 */
export function fromRawHeaders(raw: readonly string[]): AuthzHeaders {
  const values = new Array<string | undefined>(FIELD_NAMES.length)
  let duplicate: string | undefined
  let multipleAuthorization = false
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? ''
    const spec = specOf(name)
    if (spec === undefined) continue
    const value = raw[i + 1] ?? ''
    const previous = values[spec.slot]
    if (previous === undefined) {
      values[spec.slot] = value
      continue
    }
    if (spec.single) duplicate ??= name.toLowerCase()
    else if (spec.slot === AUTHORIZATION_SLOT) multipleAuthorization = true
    // Joined as Fetch would; the joined value fails validation downstream.
    values[spec.slot] = `${previous}, ${value}`
  }
  // In FIELD_NAMES order (headers.test.ts reads every field back).
  return {
    originalUri: values[0],
    originalMethod: values[1],
    originalHost: values[2],
    host: values[3],
    authorization: values[4],
    contentDigest: values[5],
    xOriginalClientIp: values[6],
    requestId: values[7],
    apiKey: values[8],
    duplicate,
    multipleAuthorization,
  }
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
