import { hasControlCharacter, isValidClientId, isValidNonce, TIMESTAMP_PATTERN } from '@gatekeeper/signer'

/** Longest Authorization header considered; anything longer is refused before parsing. */
export const MAX_HMAC_HEADER_LENGTH = 4096

export type HmacAuthorizationParams = {
  clientId: string
  timestamp: number
  nonce: string
  signature: string
  version?: string
}

export type HmacHeaderFailure =
  | 'too_long'
  | 'bad_scheme'
  | 'malformed'
  | 'duplicate_key'
  | 'unknown_key'
  | 'empty_value'
  | 'missing_client_id'
  | 'missing_timestamp'
  | 'missing_nonce'
  | 'missing_signature'
  | 'bad_client_id'
  | 'bad_timestamp'
  | 'bad_nonce'
  | 'bad_signature'
  | 'bad_version'

export type ParsedHmacAuthorization =
  | { ok: true; params: HmacAuthorizationParams }
  | { ok: false; reason: HmacHeaderFailure }

type Field = 'client_id' | 'timestamp' | 'nonce' | 'signature' | 'version' | 'headers' | 'digest'

// Lowercased key -> field. `v` is an alias of `version`. `headers` and `digest` were reserved for a later scheme
// version and stay tolerated (ignored) so that a client sending them is not locked out; v2 uses neither (it signs
// a fixed set of components, and the body digest travels in the Content-Digest header).
const FIELDS: ReadonlyMap<string, Field> = new Map<string, Field>([
  ['client_id', 'client_id'],
  ['timestamp', 'timestamp'],
  ['nonce', 'nonce'],
  ['signature', 'signature'],
  ['version', 'version'],
  ['v', 'version'],
  ['headers', 'headers'],
  ['digest', 'digest'],
])

const SCHEME = /^[ \t]*hmac( +|$)/iy
// key OWS "=" OWS ( quoted value | bare token ). Quoted values have no escapes: a backslash or comma inside is refused.
const PAIR = /([A-Za-z][A-Za-z0-9_-]*)[ \t]*=[ \t]*(?:"([^"]*)"|([^\s",\\=]*)(?!"))/y
const OWS = /[ \t]*/y
const QUOTED_FORBIDDEN = /[,\\]/
const SIGNATURE_HEX = /^[0-9a-fA-F]{64}$/
const VERSION_TOKEN = /^[A-Za-z0-9._-]{1,16}$/

function skipOws(header: string, at: number): number {
  OWS.lastIndex = at
  OWS.test(header)
  return OWS.lastIndex
}

type Scan = { ok: true; values: Map<Field, string> } | { ok: false; reason: HmacHeaderFailure }

function scanPairs(header: string, start: number): Scan {
  const values = new Map<Field, string>()
  let at = start
  for (;;) {
    PAIR.lastIndex = at
    const match = PAIR.exec(header)
    if (match === null) return { ok: false, reason: 'malformed' }
    const [, rawKey = '', quoted, bare] = match
    const value = quoted ?? bare ?? ''
    if (quoted !== undefined && QUOTED_FORBIDDEN.test(quoted)) return { ok: false, reason: 'malformed' }
    const field = FIELDS.get(rawKey.toLowerCase())
    if (field === undefined) return { ok: false, reason: 'unknown_key' }
    if (values.has(field)) return { ok: false, reason: 'duplicate_key' }
    if (value.length === 0) return { ok: false, reason: 'empty_value' }
    values.set(field, value)

    at = skipOws(header, PAIR.lastIndex)
    if (at === header.length) return { ok: true, values }
    if (header[at] !== ',') return { ok: false, reason: 'malformed' }
    at = skipOws(header, at + 1)
  }
}

/**
 * Parses `HMAC client_id="…",timestamp="…",nonce="…",signature="…"`. Tolerant of spacing, letter case of the
 * scheme and keys, and unquoted values; strict about everything that could make two readers disagree: duplicate,
 * unknown or missing keys, empty values, embedded quotes or commas, trailing text, non-canonical numbers.
 */
export function parseHmacAuthorization(header: string): ParsedHmacAuthorization {
  if (header.length > MAX_HMAC_HEADER_LENGTH) return { ok: false, reason: 'too_long' }
  const signed = SIGNED_FORM.exec(header)
  if (signed !== null) {
    const [, version, clientId = '', timestamp = '', nonce = '', signature = ''] = signed
    const params: HmacAuthorizationParams = { clientId, timestamp: Number(timestamp), nonce, signature }
    if (version !== undefined) params.version = version
    return { ok: true, params }
  }
  return parseAnyForm(header)
}

/**
 * The header exactly as the signers (@gatekeeper/signer, the Python signer, the original clients) write it, v1 or
 * v2, with every value already of the shape the rules below require: one match instead of the scan, a Map and a
 * check per value. Whatever it matches, parseAnyForm reads the same way (a property test holds the two together);
 * anything else (other spacing, letter case, order, unquoted or reserved keys, a refusal) goes to parseAnyForm.
 * The client id class is isValidClientId's: space and visible ASCII but quote, comma and backslash, then U+00A0 up
 * (no C0 or C1 control character, no DEL).
 */
const SIGNED_FORM =
  /^HMAC (?:version="(2)",)?client_id="([ !#-+\--[\]-~\u00a0-\uffff]{1,128})",timestamp="(0|[1-9][0-9]{0,11})",nonce="([A-Za-z0-9_-]{8,128})",signature="([0-9a-fA-F]{64})"$/

/** The whole grammar: what parseHmacAuthorization does when the header is not in the signers' exact form. */
export function parseAnyForm(header: string): ParsedHmacAuthorization {
  if (header.length > MAX_HMAC_HEADER_LENGTH) return { ok: false, reason: 'too_long' }
  SCHEME.lastIndex = 0
  const scheme = SCHEME.exec(header)
  if (scheme === null) return { ok: false, reason: 'bad_scheme' }
  if (scheme[1] === '') return { ok: false, reason: 'malformed' }

  const scan = scanPairs(header, SCHEME.lastIndex)
  if (!scan.ok) return scan
  const { values } = scan

  const clientId = values.get('client_id')
  const timestamp = values.get('timestamp')
  const nonce = values.get('nonce')
  const signature = values.get('signature')
  const version = values.get('version')
  if (clientId === undefined) return { ok: false, reason: 'missing_client_id' }
  if (timestamp === undefined) return { ok: false, reason: 'missing_timestamp' }
  if (nonce === undefined) return { ok: false, reason: 'missing_nonce' }
  if (signature === undefined) return { ok: false, reason: 'missing_signature' }

  if (!isValidClientId(clientId)) return { ok: false, reason: 'bad_client_id' }
  if (!TIMESTAMP_PATTERN.test(timestamp)) return { ok: false, reason: 'bad_timestamp' }
  if (!isValidNonce(nonce)) return { ok: false, reason: 'bad_nonce' }
  if (!SIGNATURE_HEX.test(signature)) return { ok: false, reason: 'bad_signature' }
  if (version !== undefined && !VERSION_TOKEN.test(version)) return { ok: false, reason: 'bad_version' }
  // The reserved keys are not read, but must not smuggle control characters into whatever logs the header.
  if (hasControlCharacter(values.get('headers') ?? '') || hasControlCharacter(values.get('digest') ?? '')) {
    return { ok: false, reason: 'malformed' }
  }

  const params: HmacAuthorizationParams = { clientId, timestamp: Number(timestamp), nonce, signature }
  if (version !== undefined) params.version = version
  return { ok: true, params }
}
