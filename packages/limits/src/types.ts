/** Per-client limits as the snapshot carries them; `null` means "no limit of this kind". */
export type LimitSpec = { perDay: number | null; perMinute: number | null }

export type PolicyName = 'day' | 'minute'

/** State of one policy after a decision, in the units the RateLimit header fields use. */
export type PolicyState = {
  name: PolicyName
  limit: number
  windowSeconds: number
  /** Requests still admissible now (after counting this one when it was admitted). */
  remaining: number
  /** Seconds until `remaining` next grows (the oldest counted bucket ages out): the draft's effective window `t`. */
  resetSeconds: number
}

export type AdmitRequest = {
  clientId: string
  /** Checked (and stored) only when given; the caller verifies the signature first. */
  nonce?: { value: string; ttlSeconds: number }
  limits?: LimitSpec | null
  /** Milliseconds since the epoch. Honoured by the memory store only; the Redis store always uses Redis server time. */
  now?: number
}

export type AdmitResult =
  | { outcome: 'allowed'; policies: PolicyState[]; failedOpen?: 'rate_limit' }
  | { outcome: 'replayed' }
  | { outcome: 'rate_limited'; policies: PolicyState[]; retryAfterSeconds: number }
  | { outcome: 'unavailable'; which: 'nonce' | 'rate_limit' }

export type Usage = { usedDay: number; remainingDay: number | null; usedMinute: number; remainingMinute: number | null }

export type StoreState = 'up' | 'down' | 'memory'

export interface AdmissionStore {
  /** One call per authenticated decision: replay check and every rate limit, atomically. */
  admit(req: AdmitRequest): Promise<AdmitResult>
  /** Reads consumption without consuming. Rejects when the backing store cannot answer. */
  usage(clientId: string, limits: LimitSpec): Promise<Usage>
  state(): StoreState
  close(): Promise<void>
}

export type FailureMode = 'open' | 'closed'

export interface AdmissionMetrics {
  redisErrors(op: 'admit' | 'usage'): void
  failOpen(kind: 'rate_limit' | 'nonce'): void
  replayBlocked(): void
}
