import { deleteKeys, uniquePrefix } from '@gatekeeper/testkit/redis'
import { useSuiteResource } from '@gatekeeper/testkit/suite'
import { afterAll, afterEach } from 'vitest'
import {
  createTunedRedisAdmissionStore,
  type RedisAdmissionStoreOptions,
  type RedisStoreTuning,
} from '../../src/redis-store'
import type { AdmissionStore, AdmitRequest, AdmitResult } from '../../src/types'

/**
 * The options of an "authz replica"'s store on `url` under `prefix`: a generous timeout and closed failure modes
 * unless overridden, so a slow test machine never turns into extra admits.
 */
export function replicaOptions(
  url: string,
  prefix: string,
  overrides: Partial<RedisAdmissionStoreOptions> = {},
): RedisAdmissionStoreOptions {
  return {
    url,
    keyPrefix: prefix,
    timeoutMs: 2000,
    rateLimitFailureMode: 'closed',
    nonceFailureMode: 'closed',
    ...overrides,
  }
}

/**
 * "authz replicas": each its own admission store and its own connections to `url()` (`replicaOptions`), closed
 * after every test.
 */
export function useReplicas(url: () => string) {
  const opened: AdmissionStore[] = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()))
  })
  return function replica(
    prefix: string,
    overrides: Partial<RedisAdmissionStoreOptions> = {},
    tuning: RedisStoreTuning = {},
  ) {
    const store = createTunedRedisAdmissionStore(replicaOptions(url(), prefix, overrides), tuning)
    opened.push(store)
    return store
  }
}

/** A private Redis set-up (a cluster, sentinels) for the whole file, and replicas on it (`useReplicas`). */
export function useReplicasOn<Fixture extends { readonly url: string; stop(): Promise<void> }>(
  start: () => Promise<Fixture>,
) {
  const fixture = useSuiteResource(start, (f) => f.stop())
  return { fixture, replica: useReplicas(() => fixture.url) }
}

/** Fresh key prefixes on the shared Redis, each one's keys deleted after the file. */
export function usePrefixes(): () => string {
  const prefixes: string[] = []
  afterAll(async () => {
    for (const p of prefixes) await deleteKeys(p)
  })
  return () => {
    const prefix = uniquePrefix()
    prefixes.push(prefix)
    return prefix
  }
}

/** Two replicas hammering at once: `n` admits, alternating between `a` and `b`, the i-th asking `request(i)`. */
export function alternate(
  a: AdmissionStore,
  b: AdmissionStore,
  n: number,
  request: (i: number) => AdmitRequest,
): Promise<AdmitResult[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => (i % 2 === 0 ? a : b).admit(request(i))))
}

export const count = (results: AdmitResult[], outcome: AdmitResult['outcome']) =>
  results.filter((r) => r.outcome === outcome).length
