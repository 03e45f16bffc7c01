// Client signing library for the v1 HMAC scheme. Standalone on purpose: it imports nothing outside this folder except
// node:crypto, so it can be published on its own.
export type { V1AuthorizationParams } from './header'
export { formatV1Authorization } from './header'
export type { V1MessageParts } from './message'
export { buildV1Message, buildV1MessageBytes } from './message'
export {
  hasControlCharacter,
  isValidClientId,
  isValidNonce,
  isValidTimestamp,
  MAX_CLIENT_ID_LENGTH,
  NONCE_PATTERN,
  TIMESTAMP_PATTERN,
} from './rules'
export type { SignedRequestV1, SignRequestV1Input } from './sign'
export { computeV1Signature, signRequestV1 } from './sign'
