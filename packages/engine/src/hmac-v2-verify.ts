// HMAC v2 verification policy (docs/hmac-signing.md). The canonical string and the comparisons come from
// @gatekeeper/crypto, injected like v1's; this file decides what is checked, in which order, with which inputs:
//
//   1. structure: Content-Digest present and well-formed, the request canonicalises (method, host, X-Original-URI
//      with its query) - all before any secret is touched;
//   2. the signature, against every unexpired secret of the claimed client (one canonicalisation for all);
//   3. the body against the signed digest, only when authz actually received the body (a direct caller posting
//      it). Behind nginx there is none: the signed digest goes back to nginx (X-Auth-Content-Digest) and the
//      upstream checks the body it receives;
//   4. the timestamp, only for a valid signature (so staleness is never reported for unsigned garbage).
// The nonce is consumed later by decide(), exactly as for v1.
//
// Why the raw X-Original-URI and not the normalised path: the canonical form is rebuilt from the request as
// sent, by the same function the signer used; it decodes and resolves dot segments the way normalizePath does,
// so it names the same resource the decision was made for (see the doc for why this cannot widen access).

import type { HmacParams, HmacRequest, HmacSecret, HmacVerification } from './hmac-verify'

/** Shaped like @gatekeeper/crypto's prepareV2Verification input. */
export interface PrepareV2Input {
  clientId: string
  method: string
  host: string
  rawPathAndQuery: string
  contentDigest: string | undefined
  timestamp: number
  nonce: string
}

export type PreparedV2 = { ok: true; message: Uint8Array; contentDigest: string } | { ok: false; reason: string }

/** The v2 functions of @gatekeeper/crypto. Comparisons must be constant-time. */
export interface HmacV2Crypto {
  prepareV2Verification(input: PrepareV2Input): PreparedV2
  /** `key`: what HmacCrypto.prepareSecret made of `secret`, when it is given. */
  matchesV2Signature(secret: string, message: Uint8Array, signature: string, key?: unknown): boolean
  verifyContentDigest(header: string, body: string | Uint8Array): { ok: boolean }
}

/** Which scheme a header announces: none, `1` or `v1` is the original, `2` or `v2` is v2; anything else none. */
export function signatureScheme(version: string | undefined): 1 | 2 | undefined {
  if (version === undefined || version === '1' || version === 'v1') return 1
  if (version === '2' || version === 'v2') return 2
  return undefined
}

// Per secret record, so a prepared key lives exactly as long as the snapshot that holds its secret.
const preparedKeys = new WeakMap<HmacSecret, unknown>()

/** The prepared form of a secret record (made on first use), or undefined when the crypto prepares none. */
export function preparedKey(candidate: HmacSecret, prepare: ((secret: string) => unknown) | undefined): unknown {
  if (prepare === undefined) return undefined
  let key = preparedKeys.get(candidate)
  if (key === undefined) {
    key = prepare(candidate.secret)
    preparedKeys.set(candidate, key)
  }
  return key
}

const PREPARE_DETAIL: Readonly<Record<string, string>> = {
  missing_content_digest: 'missing_content_digest',
  invalid_content_digest: 'malformed_content_digest',
}

/**
 * After no live secret verified: does the signature verify with a secret past its operator-set expiry? Only run
 * on the refusal path, so an accepted request never pays for it.
 */
/** The first of the client's unexpired secrets the signature matches (a rotation has two live at once). */
export function matchingLiveSecret(
  secrets: readonly HmacSecret[],
  nowMs: number,
  matches: (candidate: HmacSecret) => boolean,
): HmacSecret | undefined {
  for (const candidate of secrets) {
    if (candidate.expiresAtMs > nowMs && matches(candidate)) return candidate
  }
  return undefined
}

export function matchesExpiredSecret(
  secrets: readonly HmacSecret[],
  nowMs: number,
  matches: (candidate: HmacSecret) => boolean,
): boolean {
  for (const candidate of secrets) {
    if (candidate.operatorExpiry === true && candidate.expiresAtMs <= nowMs && matches(candidate)) return true
  }
  return false
}

function refused(logDetail: string, clientId?: string): HmacVerification {
  const r: HmacVerification = { ok: false, reason: 'invalid_credentials', logDetail, version: 2 }
  if (clientId !== undefined) r.clientId = clientId
  return r
}

export function verifyHmacV2(
  request: HmacRequest,
  params: HmacParams,
  secretsFor: (clientId: string) => readonly HmacSecret[] | undefined,
  crypto: HmacV2Crypto,
  toleranceSeconds: number,
  prepareSecret?: (secret: string) => unknown,
): HmacVerification {
  const { clientId, timestamp, nonce, signature } = params
  // Without the raw target the query could not be signed: fail closed rather than verify a shorter request.
  if (request.rawTarget === undefined || request.host === undefined) return refused('missing_request_target')
  const prepared = crypto.prepareV2Verification({
    clientId,
    method: request.method,
    host: request.host,
    rawPathAndQuery: request.rawTarget,
    contentDigest: request.contentDigest,
    timestamp,
    nonce,
  })
  if (!prepared.ok) return refused(PREPARE_DETAIL[prepared.reason] ?? `v2_${prepared.reason}`)

  const secrets = secretsFor(clientId)
  if (secrets === undefined || secrets.length === 0) return refused('unknown_client_or_no_secret')
  const matches = (candidate: HmacSecret) =>
    crypto.matchesV2Signature(candidate.secret, prepared.message, signature, preparedKey(candidate, prepareSecret))
  const verified = matchingLiveSecret(secrets, request.nowMs, matches)
  if (verified === undefined) {
    if (matchesExpiredSecret(secrets, request.nowMs, matches)) {
      return { ok: false, reason: 'credential_expired', logDetail: 'credential_expired', clientId, version: 2 }
    }
    return refused('bad_signature')
  }

  if (request.bodyReceived === true && !crypto.verifyContentDigest(prepared.contentDigest, request.body).ok) {
    return refused('content_digest_mismatch', clientId)
  }
  // Written so that a NaN clock fails closed.
  if (!(Math.abs(request.nowMs / 1000 - timestamp) <= toleranceSeconds)) {
    return { ok: false, reason: 'stale_timestamp', logDetail: 'stale_timestamp', clientId, version: 2 }
  }
  return { ok: true, clientId, nonce, version: 2, contentDigest: prepared.contentDigest, secret: verified }
}
