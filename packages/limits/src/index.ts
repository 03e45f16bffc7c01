export { rateLimitHeaders } from './headers'
export {
  createMemoryAdmissionStore,
  type MemoryAdmissionStore,
  type MemoryAdmissionStoreOptions,
} from './memory-store'
export { DEFAULT_WINDOWS, type WindowShape, type WindowShapes } from './policies'
export {
  createRedisAdmissionStore,
  type RedisAdmissionStore,
  type RedisAdmissionStoreOptions,
} from './redis-store'
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
