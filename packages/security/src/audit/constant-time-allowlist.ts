// Comparisons the constant-time scan finds that are not secret comparisons, each with the reason. A new finding
// fails the test until it either goes through safeEqual/timingSafeEqual or is added here with its reason; an
// entry that no longer matches anything fails it too, so the list never rots.

export interface AllowedComparison {
  file: string
  /** The comparison's text as the scan reports it (whitespace collapsed). */
  text: string
  reason: string
}

export const ALLOWED_COMPARISONS: readonly AllowedComparison[] = [
  {
    file: 'packages/crypto/src/master-key.ts',
    text: 'byte === key[0]',
    reason:
      "a start-up check that the operator's master key is not one repeated byte; no caller-supplied value is compared",
  },
  {
    file: 'packages/engine/src/state.ts',
    text: 'this.apiKeys.get(old.digest) === old',
    reason:
      'object identity of two snapshot records while removing a credential (is the digest still indexed to this row?), not a secret value',
  },
]
