import { describe, expect, it } from 'vitest'
import { ALLOW_REASONS, DECISION_REASONS, DENY_REASONS, isAllowReason, REASON_STATUS } from './decision'

describe('decision reasons', () => {
  it('allows with 200 and denies with anything else', () => {
    for (const reason of ALLOW_REASONS) expect(REASON_STATUS[reason]).toBe(200)
    for (const reason of DENY_REASONS) expect(REASON_STATUS[reason]).not.toBe(200)
  })

  it('maps each kind of problem to its status', () => {
    const expected = {
      missing_credentials: 401,
      invalid_credentials: 401,
      replayed_nonce: 401,
      no_permission: 403,
      method_not_allowed: 403,
      no_route_match: 403,
      rate_limit_exceeded: 429,
      bad_request: 400,
      ambiguous_path: 400,
      ambiguous_credential: 400,
      ambiguous_method: 400,
      unknown_host: 403,
      not_ready: 503,
      store_unavailable: 503,
    } as const
    for (const [reason, status] of Object.entries(expected)) {
      expect(REASON_STATUS[reason as keyof typeof expected], reason).toBe(status)
    }
  })

  it('has no duplicates and classifies every reason', () => {
    expect(new Set(DECISION_REASONS).size).toBe(DECISION_REASONS.length)
    expect(DECISION_REASONS.filter(isAllowReason)).toEqual(['no_auth_required', 'authenticated'])
  })
})
