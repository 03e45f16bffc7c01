// The v2 string to sign (docs/hmac-signing.md). Nine lines joined by "\n", no trailing newline:
//
//   gk-hmac-v2            version marker (lower case: a v1 message starts with an upper-cased method, so no v1
//                         message can ever equal a v2 one)
//   METHOD                upper-cased token
//   host                  lower case, no port, no trailing dot
//   /canonical/path       decoded once, dot segments resolved, re-encoded (unreserved set)
//   a=1&b=2               decoded once (+ is space), re-encoded, stable-sorted by name
//   1700000000            timestamp, as in the header
//   nonce                 as in the header
//   sha-256=:...:         the Content-Digest sha-256 member, canonical form
//   client-id             as in the header
//
// Every line is free of "\n" by construction, so the string has exactly one reading.

import { canonicalHost } from './canonical-host'
import {
  alreadyCanonicalTarget,
  canonicalPath,
  canonicalQuery,
  canonicalQueryFromParams,
  splitTarget,
  type TargetFailure,
  type V2QueryParams,
} from './canonical-target'
import { parseContentDigest } from './content-digest'
import { isValidClientId, isValidMethod, isValidNonce, isValidTimestamp } from './rules'

export const V2_MARKER = 'gk-hmac-v2'

export type V2CanonicalFailure =
  | TargetFailure
  | 'invalid_host'
  | 'invalid_method'
  | 'invalid_client_id'
  | 'invalid_timestamp'
  | 'invalid_nonce'
  | 'invalid_content_digest'
  | 'query_given_twice'

export type V2CanonicalInput = {
  clientId: string
  method: string
  /** Host as sent (`Host` header or URL authority); case, port and a trailing dot do not matter. */
  host: string
  /** Path as sent, optionally followed by `?query`. A string is text (UTF-8 on the wire); bytes are taken raw. */
  path: string | Uint8Array
  /** The query when `path` has none: the raw query string (no `?`), or decoded parameters. */
  query?: string | Uint8Array | V2QueryParams
  /** Epoch seconds. */
  timestamp: number
  nonce: string
  /** The Content-Digest header value (its sha-256 member is what is signed). */
  contentDigest: string
}

export type V2Canonical = {
  /** The full string to sign. */
  canonical: string
  method: string
  host: string
  path: string
  query: string
  /** The sha-256 member in canonical form: what the canonical string holds. */
  contentDigest: string
}

export type V2CanonicalResult = { ok: true; value: V2Canonical } | { ok: false; reason: V2CanonicalFailure }

function fail(reason: V2CanonicalFailure): { ok: false; reason: V2CanonicalFailure } {
  return { ok: false, reason }
}

function queryLine(inPath: Uint8Array, given: V2CanonicalInput['query']): V2CanonicalResult | string {
  if (given === undefined) {
    const q = canonicalQuery(inPath)
    return q.ok ? q.value : fail(q.reason)
  }
  if (inPath.length > 0) return fail('query_given_twice')
  if (typeof given === 'string' || given instanceof Uint8Array) {
    const q = canonicalQuery(given)
    return q.ok ? q.value : fail(q.reason)
  }
  return canonicalQueryFromParams(given)
}

function targetLines(input: V2CanonicalInput): V2CanonicalResult | { path: string; query: string } {
  if (typeof input.path === 'string' && input.query === undefined) {
    const fast = alreadyCanonicalTarget(input.path)
    if (fast !== undefined) return fast
  }
  const target = splitTarget(input.path)
  const path = canonicalPath(target.path)
  if (!path.ok) return fail(path.reason)
  const query = queryLine(target.query, input.query)
  if (typeof query !== 'string') return query
  return { path: path.value, query }
}

/** Builds the canonical request, or says which part cannot be canonicalised. Never throws. */
export function tryBuildV2Canonical(input: V2CanonicalInput): V2CanonicalResult {
  if (!isValidClientId(input.clientId)) return fail('invalid_client_id')
  if (!isValidMethod(input.method)) return fail('invalid_method')
  if (!isValidTimestamp(input.timestamp)) return fail('invalid_timestamp')
  if (!isValidNonce(input.nonce)) return fail('invalid_nonce')
  const host = canonicalHost(input.host)
  if (!host.ok) return fail('invalid_host')
  const target = targetLines(input)
  if ('ok' in target) return target
  const { path, query } = target
  const digest = parseContentDigest(input.contentDigest)
  if (!digest.ok) return fail('invalid_content_digest')

  const method = input.method.toUpperCase()
  const lines = [
    V2_MARKER,
    method,
    host.value,
    path,
    query,
    String(input.timestamp),
    input.nonce,
    digest.value,
    input.clientId,
  ]
  return {
    ok: true,
    value: {
      canonical: lines.join('\n'),
      method,
      host: host.value,
      path,
      query,
      contentDigest: digest.value,
    },
  }
}

/** The canonical string to sign; throws a TypeError naming the part that cannot be canonicalised. */
export function buildV2Canonical(input: V2CanonicalInput): string {
  const result = tryBuildV2Canonical(input)
  if (!result.ok) throw new TypeError(`buildV2Canonical: ${result.reason}`)
  return result.value.canonical
}
