// Verification of the original system's HMAC signature (v1), with the header parser and the signature check
// injected (the real ones live in @gatekeeper/crypto), so this file holds only the policy: which secrets,
// which message, which clock window. The nonce is NOT consumed here: the caller checks it only after this
// says the signature is valid (so unsigned garbage can never fill the nonce store).
//
// What is signed: `{METHOD}\n{PATH}\n{TIMESTAMP}\n{NONCE}\n{BODY}`. METHOD is the client's original method
// (X-Original-Method). PATH is the path exactly as the client sent it (from `$request_uri`, before
// normalisation, without the query): clients sign what they send, and re-encoding it our way would break
// honest clients whose libraries encode differently. This cannot widen access: routing and permissions are
// decided on the normalised path only, and the raw path is what the normalised one was derived from, so a
// signature binds the request to the same normalised path the decision was made for.
//
// A header announcing version 2 is handed to ./hmac-v2-verify.ts (host, query and body digest signed too); a
// v1 header on a route method that requires v2 is refused as `signature_required` without being verified.

import type { AddressList } from './client-ip'
import {
  type HmacV2Crypto,
  matchesExpiredSecret,
  matchingLiveSecret,
  preparedKey,
  signatureScheme,
  verifyHmacV2,
} from './hmac-v2-verify'

export const HMAC_TIMESTAMP_TOLERANCE_SECONDS = 300
/** Nonces must outlive the whole window in which their timestamp is acceptable (both directions). */
export const NONCE_TTL_SECONDS = 2 * HMAC_TIMESTAMP_TOLERANCE_SECONDS

/** The nonce TTL for a configured tolerance: the whole window in which a timestamp is accepted. */
export function nonceTtlSeconds(toleranceSeconds: number): number {
  return 2 * toleranceSeconds
}
const MAX_NONCE_LENGTH = 256

/** Shaped like @gatekeeper/crypto's parser output, so the real functions plug straight in. */
export interface HmacParams {
  clientId: string
  /** Epoch seconds (the parser refuses non-canonical text, which matters: the signed message is rebuilt from it). */
  timestamp: number
  nonce: string
  signature: string
  /** Scheme version marker; absent for the original (v1) header. */
  version?: string
}

export type ParseHmacAuthorization = (
  header: string,
) => { ok: true; params: HmacParams } | { ok: false; reason: string }

export interface V1SignatureInput {
  secret: string
  /** What `HmacCrypto.prepareSecret` made of this secret, when it is given. */
  key?: unknown
  method: string
  path: string
  timestamp: number
  nonce: string
  /** Bytes as received (a string is signed as its UTF-8 encoding). */
  body: string | Uint8Array
  signature: string
}

/** Must compare in constant time. */
export type VerifyV1Signature = (input: V1SignatureInput) => boolean

export interface HmacCrypto {
  parseHmacAuthorization: ParseHmacAuthorization
  verifyV1Signature: VerifyV1Signature
  v2: HmacV2Crypto
  /**
   * Optional: a secret in the form the signature checks compute fastest with (HMAC-SHA-256 with its padded key
   * blocks precomputed), made once per secret record and handed back to them as `key`.
   */
  prepareSecret?: (secret: string) => unknown
}

export interface HmacSecret {
  secret: string
  /** Epoch ms; Infinity when the secret does not expire. A rotated-out secret stays valid until then. */
  expiresAtMs: number
  /**
   * The expiry is one an operator set (not a rotation's grace end): a signature that verifies only with this
   * secret once it expired is refused as `credential_expired`, so the caller learns why.
   */
  operatorExpiry?: boolean
  /** The credential row (for its last-used time); absent in tests that build secrets by hand. */
  credentialId?: string
  /** The credential's own IP allowlist, checked once the signature verified; absent: none. */
  allowedIps?: AddressList
}

export interface HmacRequest {
  header: string
  method: string
  rawPath: string
  body: string | Uint8Array
  nowMs: number
  /** Accepted clock skew either way; HMAC_TIMESTAMP_TOLERANCE_SECONDS unless configured. */
  toleranceSeconds?: number
  /** v2: the host as parsed (what routes are keyed on). */
  host?: string
  /** v2: X-Original-URI exactly as sent, path and query. Without it a v2 header is refused. */
  rawTarget?: string
  /** v2: the Content-Digest request header. */
  contentDigest?: string
  /** v2: `body` is the body the client sent (a direct caller); false behind nginx, where there is none. */
  bodyReceived?: boolean
  /** The route method requires v2: a v1 signature is refused with `signature_required`. */
  requireV2?: boolean
}

export type HmacVerification =
  /** contentDigest (v2): the signed digest, canonical form, for the upstream to check the body against. */
  | { ok: true; clientId: string; nonce: string; version: 1 | 2; contentDigest?: string; secret: HmacSecret }
  /** clientId only once the signature proved it (a claimed id is not worth logging as the client). */
  | {
      ok: false
      reason: 'invalid_credentials' | 'stale_timestamp' | 'signature_required' | 'credential_expired'
      logDetail: string
      clientId?: string
      /** The scheme the header announced, when it announced a supported one. */
      version?: 1 | 2
    }

export function verifyHmacRequest(
  request: HmacRequest,
  secretsFor: (clientId: string) => readonly HmacSecret[] | undefined,
  crypto: HmacCrypto,
): HmacVerification {
  const parsed = crypto.parseHmacAuthorization(request.header)
  if (!parsed.ok) return { ok: false, reason: 'invalid_credentials', logDetail: 'malformed_hmac_header' }
  const { clientId, timestamp, nonce, signature } = parsed.params
  const scheme = signatureScheme(parsed.params.version)
  if (scheme === undefined) {
    return { ok: false, reason: 'invalid_credentials', logDetail: 'unsupported_signature_version' }
  }
  const tolerance = request.toleranceSeconds ?? HMAC_TIMESTAMP_TOLERANCE_SECONDS
  if (scheme === 2) return verifyHmacV2(request, parsed.params, secretsFor, crypto.v2, tolerance, crypto.prepareSecret)
  if (request.requireV2 === true) {
    return { ok: false, reason: 'signature_required', logDetail: 'signature_v2_required', version: 1 }
  }
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    return { ok: false, reason: 'invalid_credentials', logDetail: 'malformed_timestamp', version: 1 }
  }
  if (nonce.length === 0 || nonce.length > MAX_NONCE_LENGTH) {
    return { ok: false, reason: 'invalid_credentials', logDetail: 'malformed_nonce', version: 1 }
  }

  const secrets = secretsFor(clientId)
  if (secrets === undefined || secrets.length === 0) {
    return { ok: false, reason: 'invalid_credentials', logDetail: 'unknown_client_or_no_secret', version: 1 }
  }
  const matches = (candidate: HmacSecret) =>
    crypto.verifyV1Signature({
      secret: candidate.secret,
      key: preparedKey(candidate, crypto.prepareSecret),
      method: request.method,
      path: request.rawPath,
      timestamp,
      nonce,
      body: request.body,
      signature,
    })
  const verified = matchingLiveSecret(secrets, request.nowMs, matches)
  if (verified === undefined) {
    if (matchesExpiredSecret(secrets, request.nowMs, matches)) {
      return { ok: false, reason: 'credential_expired', logDetail: 'credential_expired', clientId, version: 1 }
    }
    return { ok: false, reason: 'invalid_credentials', logDetail: 'bad_signature', version: 1 }
  }

  // Written so that a NaN clock fails closed.
  if (!(Math.abs(request.nowMs / 1000 - timestamp) <= tolerance)) {
    return { ok: false, reason: 'stale_timestamp', logDetail: 'stale_timestamp', clientId, version: 1 }
  }
  return { ok: true, clientId, nonce, version: 1, secret: verified }
}
