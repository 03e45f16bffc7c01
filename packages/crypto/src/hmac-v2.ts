// Server side of HMAC v2 (docs/hmac-signing.md). The canonical string comes from the same code the signer uses
// (@gatekeeper/signer), so the two cannot drift; what is added here is how a server reads its inputs and what it checks:
//   - the request target arrives as an HTTP header value (nginx's `$request_uri` in X-Original-URI), which node
//     hands over one character per byte, so it is read as latin1 bytes, not re-encoded as UTF-8;
//   - Content-Digest is required, even for an empty body (its absence is an error, never "no body");
//   - the body, when the server has it, must match the signed digest (behind nginx it never has it);
//   - the timestamp is judged only after the signature is valid, as in v1.

import { tryBuildV2Canonical, type V2CanonicalFailure, verifyContentDigest } from '@gatekeeper/signer'
import { matchesHmacSha256 } from './hmac'
import { checkTimestamp } from './timestamp'

export type V2VerifyFailure =
  | V2CanonicalFailure
  | 'invalid_request_target'
  | 'missing_content_digest'
  | 'bad_signature'
  | 'content_digest_mismatch'
  | 'stale_timestamp'

export type PrepareV2Input = {
  /** The client id from the Authorization header. */
  clientId: string
  /** The client's method (X-Original-Method). */
  method: string
  /** The client's host (X-Original-Host, or the parsed host authz routes on). */
  host: string
  /** Path and query exactly as sent (X-Original-URI). A string is read one character per byte (latin1). */
  rawPathAndQuery: string | Uint8Array
  /** The Content-Digest request header, undefined when absent. */
  contentDigest: string | undefined
  timestamp: number
  nonce: string
}

export type PreparedV2 =
  | {
      ok: true
      /** The canonical string as UTF-8 bytes: what the signature is over. */
      message: Uint8Array
      canonical: string
      /** The signed sha-256 member, canonical form: what to pass upstream (X-Auth-Content-Digest). */
      contentDigest: string
    }
  | { ok: false; reason: V2VerifyFailure }

export type VerifyV2Input = PrepareV2Input & {
  secret: string
  /** Hex signature from the header (either letter case). */
  signature: string
  /** The body, when the verifier has it; it must then match the signed digest. Omit behind nginx. */
  body?: string | Uint8Array
  /** Epoch seconds; when given, a valid signature with a timestamp outside the tolerance is `stale_timestamp`. */
  nowSeconds?: number
  /** Default 300. */
  toleranceSeconds?: number
}

export type V2Verification = { ok: true; contentDigest: string } | { ok: false; reason: V2VerifyFailure }

const ASCII = /^[\x20-\x7e]*$/

/**
 * Header bytes as node delivers them: one char per byte. A char above 0xFF cannot have come off the wire.
 * Printable ASCII text stays a string (its UTF-8 bytes are the same bytes), which lets an already canonical
 * target skip the byte-level work.
 */
function targetBytes(value: string): string | Uint8Array | undefined {
  if (ASCII.test(value)) return value
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0xff) return undefined
  return new Uint8Array(Buffer.from(value, 'latin1'))
}

/** Everything that does not depend on the secret, done once however many secrets a client has. */
export function prepareV2Verification(input: PrepareV2Input): PreparedV2 {
  if (input.contentDigest === undefined || input.contentDigest.trim() === '') {
    return { ok: false, reason: 'missing_content_digest' }
  }
  const target = typeof input.rawPathAndQuery === 'string' ? targetBytes(input.rawPathAndQuery) : input.rawPathAndQuery
  if (target === undefined) return { ok: false, reason: 'invalid_request_target' }
  const built = tryBuildV2Canonical({
    clientId: input.clientId,
    method: input.method,
    host: input.host,
    path: target,
    timestamp: input.timestamp,
    nonce: input.nonce,
    contentDigest: input.contentDigest,
  })
  if (!built.ok) return built
  const { canonical, contentDigest } = built.value
  return { ok: true, message: Buffer.from(canonical, 'utf8'), canonical, contentDigest }
}

/**
 * Recomputes the signature over a prepared message and compares the 32 bytes in constant time. `key`: hmacKey(secret),
 * when the caller keeps one per secret (cheaper than an HMAC object per call).
 */
export function matchesV2Signature(secret: string, message: Uint8Array, signature: string, key?: unknown): boolean {
  return matchesHmacSha256(secret, message, signature, key)
}

/**
 * Verifies a v2 request in order: canonical form, signature, body against the signed digest (when the body is
 * given), timestamp (when `nowSeconds` is given). Never throws on bad input. The nonce is the caller's to check
 * (once per client, only after this said ok).
 */
export function verifyV2Signature(input: VerifyV2Input): V2Verification {
  const prepared = prepareV2Verification(input)
  if (!prepared.ok) return prepared
  if (!matchesV2Signature(input.secret, prepared.message, input.signature)) {
    return { ok: false, reason: 'bad_signature' }
  }
  if (input.body !== undefined && !verifyContentDigest(prepared.contentDigest, input.body).ok) {
    return { ok: false, reason: 'content_digest_mismatch' }
  }
  if (input.nowSeconds !== undefined && !checkTimestamp(input.timestamp, input.nowSeconds, input.toleranceSeconds)) {
    return { ok: false, reason: 'stale_timestamp' }
  }
  return { ok: true, contentDigest: prepared.contentDigest }
}

/**
 * The scheme a parsed header announces: no version, `1` or `v1` is the original scheme, `2` or `v2` is v2;
 * anything else is undefined (unsupported, to be refused).
 */
export function hmacSchemeVersion(version: string | undefined): 1 | 2 | undefined {
  if (version === undefined || version === '1' || version === 'v1') return 1
  if (version === '2' || version === 'v2') return 2
  return undefined
}
