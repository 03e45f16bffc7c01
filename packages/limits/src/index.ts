export { rateLimitHeaders } from './headers'
export {
  createMemoryAdmissionStore,
  type MemoryAdmissionStore,
  type MemoryAdmissionStoreOptions,
} from './memory-store'
export { DEFAULT_WINDOWS, type WindowShape, type WindowShapes } from './policies'
export { type AdmissionClient, createAdmissionClient } from './redis-client'
export {
  createRedisAdmissionStore,
  type RedisAdmissionStore,
  type RedisAdmissionStoreOptions,
} from './redis-store'
export {
  type HostPort,
  parseRedisUrl,
  type RedisTarget,
  redactRedisUrl,
  validateRedisUrl,
} from './redis-target'
export type {
  AdmissionMetrics,
  AdmissionStore,
  AdmitRequest,
  AdmitResult,
  FailureMode,
  LimitSpec,
  PolicyName,
  PolicyState,
  StoreState,
  Usage,
} from './types'
