// Client signing library for Gatekeeper's HMAC schemes (v1, the original; v2, which also signs host, query and a
// body digest). Standalone on purpose: it imports nothing outside this folder except node:crypto, so it can be
// published on its own (see README.md). It also carries the Content-Digest check upstream services need.

export type { HostCanonicalResult } from './canonical-host'
export { canonicalHost } from './canonical-host'
export type { TargetFailure, TargetResult, V2QueryParams } from './canonical-target'
export { canonicalPath, canonicalQuery, canonicalQueryFromParams } from './canonical-target'
export type { V2Canonical, V2CanonicalFailure, V2CanonicalInput, V2CanonicalResult } from './canonical-v2'
export { buildV2Canonical, tryBuildV2Canonical, V2_MARKER } from './canonical-v2'
export type { ContentDigestCheck, ContentDigestFailure, ParsedContentDigest } from './content-digest'
export {
  contentDigestFor,
  MAX_CONTENT_DIGEST_LENGTH,
  parseContentDigest,
  verifyContentDigest,
} from './content-digest'
export type { V1AuthorizationParams, V2AuthorizationParams } from './header'
export { formatV1Authorization, formatV2Authorization } from './header'
export type { V1MessageParts } from './message'
export { buildV1Message, buildV1MessageBytes } from './message'
export {
  hasControlCharacter,
  isValidClientId,
  isValidMethod,
  isValidNonce,
  isValidTimestamp,
  MAX_CLIENT_ID_LENGTH,
  METHOD_PATTERN,
  NONCE_PATTERN,
  TIMESTAMP_PATTERN,
} from './rules'
export type { SignedRequestV1, SignRequestV1Input } from './sign'
export { computeV1Signature, signRequestV1 } from './sign'
export type { SignedRequestV2, SignRequestV2Input, V2PartsTarget, V2UrlTarget } from './sign-v2'
export { computeV2Signature, signRequestV2 } from './sign-v2'
