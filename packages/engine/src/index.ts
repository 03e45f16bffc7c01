// The pure decision engine of the authz data plane: no I/O, so it is fast and unit-testable.
export {
  type ClientIpInput,
  compileTrustedForwarders,
  resolveClientIp,
  type TrustedForwarders,
  unmapIPv4,
} from './client-ip'
export {
  type CredentialAmbiguity,
  type CredentialFailure,
  type CredentialHeaders,
  type Credentials,
  extractCredentials,
  hasMethodOverrideParameter,
  redactTarget,
  repeatsKey,
  targetWithoutParameter,
} from './credentials'
export {
  type Admission,
  type AdmissionRequest,
  type AdmissionVerdict,
  ambiguity,
  type DecideDeps,
  type DecisionRequest,
  type DigestApiKey,
  decide,
  type ParseApiKey,
} from './decide'
export { type HmacV2Crypto, signatureScheme } from './hmac-v2-verify'
export {
  HMAC_TIMESTAMP_TOLERANCE_SECONDS,
  type HmacCrypto,
  type HmacParams,
  NONCE_TTL_SECONDS,
  nonceTtlSeconds,
  type V1SignatureInput,
} from './hmac-verify'
export { type HostFailure, type HostResult, parseHost } from './host'
export {
  MALFORMED_TARGET,
  MAX_URI_LENGTH,
  type NormalizeFailure,
  type NormalizeResult,
  normalizePath,
} from './normalize-path'
export {
  type CompiledRoute,
  type MethodRule,
  type PathVariantConflict,
  RouteIndex,
  type RouteUpsertResult,
} from './route-index'
export {
  buildEngineState,
  type EngineSnapshot,
  EngineState,
  type LimitSpec,
  type SnapshotIssue,
  type UpsertResult,
} from './state'
export type * from './types'
