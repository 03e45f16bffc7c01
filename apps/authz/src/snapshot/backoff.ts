// Capped exponential backoff with jitter for reconnects and reload retries: many replicas losing the same
// database must not come back in lockstep.

export interface Backoff {
  /** The delay before the next attempt (grows with each call until reset). */
  next(): number
  reset(): void
  readonly attempts: number
}

export function createBackoff(options: { baseMs: number; capMs: number; random?: () => number }): Backoff {
  const random = options.random ?? Math.random
  let attempts = 0
  return {
    next() {
      const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.min(attempts, 30))
      attempts++
      // "Equal jitter": at least half the ceiling (keeps the backoff), the rest random (spreads replicas).
      return Math.round(ceiling / 2 + random() * (ceiling / 2))
    },
    reset() {
      attempts = 0
    },
    get attempts() {
      return attempts
    },
  }
}
