import type { PolicyName } from './types'

/**
 * Every key of a client carries the hash tag `{clientId}`, so its nonce and limit keys share one cluster slot and
 * one script may touch them all. Client ids are generated ids (no braces).
 */
export function nonceKey(prefix: string, clientId: string, nonce: string): string {
  return `${prefix}n:{${clientId}}:${nonce}`
}

export function limitKey(prefix: string, clientId: string, policy: PolicyName): string {
  return `${prefix}rl:{${clientId}}:${policy}`
}
