import { describe, expect, it } from 'vitest'
import { ALLOW_REASONS, DECISION_REASONS, DENY_REASONS, isAllowReason, REASON_STATUS } from './decision'

describe('decision reasons', () => {
  it('allows with 200 and denies with anything else', () => {
    for (const reason of ALLOW_REASONS) expect(REASON_STATUS[reason]).toBe(200)
    for (const reason of DENY_REASONS) expect(REASON_STATUS[reason]).not.toBe(200)
  })

  it('maps each kind of problem to its status', () => {
    expect(REASON_STATUS.missing_credentials).toBe(401)
    expect(REASON_STATUS.invalid_credentials).toBe(401)
    expect(REASON_STATUS.replayed_nonce).toBe(401)
    expect(REASON_STATUS.no_permission).toBe(403)
    expect(REASON_STATUS.method_not_allowed).toBe(403)
    expect(REASON_STATUS.no_route_match).toBe(403)
    expect(REASON_STATUS.rate_limit_exceeded).toBe(429)
    expect(REASON_STATUS.bad_request).toBe(400)
    expect(REASON_STATUS.ambiguous_path).toBe(400)
    expect(REASON_STATUS.ambiguous_credential).toBe(400)
    expect(REASON_STATUS.unknown_host).toBe(403)
    expect(REASON_STATUS.not_ready).toBe(503)
    expect(REASON_STATUS.store_unavailable).toBe(503)
  })

  it('has no duplicates and classifies every reason', () => {
    expect(new Set(DECISION_REASONS).size).toBe(DECISION_REASONS.length)
    expect(DECISION_REASONS.filter(isAllowReason)).toEqual(['no_auth_required', 'authenticated'])
  })
})
