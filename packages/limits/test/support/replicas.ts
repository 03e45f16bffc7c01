import { afterEach } from 'vitest'
import { createTunedRedisAdmissionStore, type RedisAdmissionStoreOptions } from '../../src/redis-store'
import type { AdmissionStore, AdmitResult } from '../../src/types'

/**
 * "authz replicas" for the failover tests: each its own admission store and its own connections to `url()`, closed
 * after every test. Closed failure modes unless overridden: errors never admit.
 */
export function useReplicas(url: () => string) {
  const opened: AdmissionStore[] = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()))
  })
  return function replica(prefix: string, overrides: Partial<RedisAdmissionStoreOptions> = {}) {
    const store = createTunedRedisAdmissionStore(
      {
        url: url(),
        keyPrefix: prefix,
        timeoutMs: 2000,
        rateLimitFailureMode: 'closed',
        nonceFailureMode: 'closed',
        ...overrides,
      },
      {},
    )
    opened.push(store)
    return store
  }
}

export const count = (results: AdmitResult[], outcome: AdmitResult['outcome']) =>
  results.filter((r) => r.outcome === outcome).length
