// The engine's Admission on top of @gatekeeper/limits: one admit() per decision that needs a nonce or a limit,
// its result turned into the verdict the engine maps to a status, with the RateLimit header fields attached.

import type { Admission, AdmissionVerdict } from '@gatekeeper/engine'
import { type AdmissionStore, rateLimitHeaders } from '@gatekeeper/limits'

const EMPTY: Readonly<Record<string, string>> = Object.freeze({})

export function admissionFromStore(store: Pick<AdmissionStore, 'admit'>): Admission {
  return {
    admit(request) {
      return store.admit(request).then((result): AdmissionVerdict => {
        switch (result.outcome) {
          case 'allowed': {
            const headers = result.policies.length === 0 ? EMPTY : rateLimitHeaders(result)
            const verdict: AdmissionVerdict = { outcome: 'allowed', headers }
            if (result.failedOpen !== undefined) verdict.failedOpen = result.failedOpen
            return verdict
          }
          case 'rate_limited':
            return {
              outcome: 'rate_limited',
              retryAfterSeconds: result.retryAfterSeconds,
              headers: rateLimitHeaders(result),
            }
          case 'replayed':
            return { outcome: 'replayed' }
          case 'unavailable':
            return { outcome: 'unavailable', which: result.which }
        }
      })
    },
  }
}
