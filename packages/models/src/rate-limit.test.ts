import { describe, expect, it } from 'vitest'
import { rateLimitSetSchema, rateLimitUsageWireSchema, rateLimitWireSchema } from './rate-limit'
import { itRejects } from './test-helpers'

const ID = '6f1c2a1e-8a7b-4c1d-9e2f-0a1b2c3d4e5f'

describe('rateLimitSetSchema', () => {
  it.each([
    [{ requests_per_day: 1000 }],
    [{ requests_per_minute: 10 }],
    [{ requests_per_day: 1_000_000_000, requests_per_minute: 10_000_000 }],
    [{ requests_per_day: null, requests_per_minute: 60 }],
  ])('accepts %j', (value) => {
    expect(rateLimitSetSchema.parse(value)).toEqual(value)
  })

  itRejects(rateLimitSetSchema, [
    [{}, 'set at least one of requests_per_day, requests_per_minute'],
    [{ requests_per_day: null }, 'set at least one'],
    [{ requests_per_day: null, requests_per_minute: null }, 'set at least one'],
    [{ requests_per_day: 0 }, 'requests_per_day: must be a positive integer'],
    [{ requests_per_day: -5 }, 'requests_per_day: must be a positive integer'],
    [{ requests_per_day: 1.5 }, 'requests_per_day: must be an integer'],
    [{ requests_per_day: 1_000_000_001 }, 'requests_per_day: must be at most 1000000000'],
    [{ requests_per_minute: 10_000_001 }, 'requests_per_minute: must be at most 10000000'],
    [{ requests_per_day: '100' }, 'requests_per_day:'],
  ])
})

describe('rate limit wire schemas', () => {
  it('accepts a limit with one window unset', () => {
    const wire = {
      client_id: ID,
      client_name: 'billing',
      requests_per_day: 1000,
      requests_per_minute: null,
      created_at: 1,
      updated_at: 2,
    }
    expect(rateLimitWireSchema.parse(wire)).toEqual(wire)
  })

  it('accepts usage with and without the minute window', () => {
    expect(rateLimitUsageWireSchema.parse({ client_id: ID, used_day: 5, remaining_day: 995 })).toEqual({
      client_id: ID,
      used_day: 5,
      remaining_day: 995,
    })
    const full = { client_id: ID, used_day: 5, remaining_day: null, used_minute: 1, remaining_minute: 9 }
    expect(rateLimitUsageWireSchema.parse(full)).toEqual(full)
  })

  it('rejects negative usage', () => {
    expect(rateLimitUsageWireSchema.safeParse({ client_id: ID, used_day: -1, remaining_day: 0 }).success).toBe(false)
  })
})
