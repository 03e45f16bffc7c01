export * from '@gatekeeper/signer'
export type { ParsedSecret } from './admin-token'
export {
  ADMIN_TOKEN_PREFIX,
  generateAdminToken,
  generateSignInCode,
  isAdminTokenLike,
  parseAdminToken,
  parseSignInCode,
  SIGN_IN_CODE_PREFIX,
} from './admin-token'
export type { ParsedApiKey } from './api-key'
export {
  API_KEY_PREFIX,
  apiKeyDisplayParts,
  digestApiKey,
  generateApiKey,
  maskApiKey,
  parseApiKey,
} from './api-key'
export type { ChecksummedTokenFormat } from './checksummed-token'
export { checksummedTokenFormat, digestToken } from './checksummed-token'
export { crc32 } from './crc32'
export type { VerifyV1Input } from './hmac'
export { HmacKey, hmacKey, verifyV1Signature } from './hmac'
export type { HmacAuthorizationParams, HmacHeaderFailure, ParsedHmacAuthorization } from './hmac-header'
export { MAX_HMAC_HEADER_LENGTH, parseHmacAuthorization } from './hmac-header'
export type { PreparedV2, PrepareV2Input, V2Verification, V2VerifyFailure, VerifyV2Input } from './hmac-v2'
export {
  hmacSchemeVersion,
  matchesV2Signature,
  prepareV2Verification,
  verifyV2Signature,
} from './hmac-v2'
export type { ParsedMasterKey } from './master-key'
export { deriveKeyId, MASTER_KEY_BYTES, parseMasterKey } from './master-key'
export { safeEqual } from './safe-equal'
export type { Sealer, SealerKey, UnsealResult } from './sealer'
export { createSealer } from './sealer'
export type { MasterKeyConfig } from './sealer-config'
export { sealerFromConfig } from './sealer-config'
export { generateSharedSecret, SHARED_SECRET_PREFIX } from './secret'
export { checkTimestamp } from './timestamp'
export type {
  AegisWebhookFailure,
  AegisWebhookVerification,
  VerifyAegisWebhookInput,
} from './webhook'
export { signAegisWebhook, verifyAegisWebhook } from './webhook'
