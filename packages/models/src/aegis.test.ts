import { describe, expect, it } from 'vitest'
import { aegisUserSchema, aegisWebhookEventSchema, parseAdminEmails } from './aegis'

describe('aegisUserSchema', () => {
  const me = {
    uuid: 'u-1',
    site_uuid: 's-1',
    email: 'ada@example.com',
    is_verified: true,
    role: 'admin',
    created_at: 1_700_000_000,
    updated_at: 1_700_000_000,
    deletion_protected: false,
  }

  it('accepts /api/auth/me and keeps extra keys', () => {
    expect(aegisUserSchema.parse({ ...me, display_name: 'Ada' })).toEqual({ ...me, display_name: 'Ada' })
  })

  it('rejects a body without a uuid or with a non-boolean is_verified', () => {
    const { uuid: _uuid, ...noUuid } = me
    expect(aegisUserSchema.safeParse(noUuid).success).toBe(false)
    expect(aegisUserSchema.safeParse({ ...me, is_verified: 'true' }).success).toBe(false)
  })
})

describe('aegisWebhookEventSchema', () => {
  it('accepts the documented body', () => {
    const body = {
      event_type: 'user.verified',
      site_id: 7,
      user_id: 'u-1',
      email: 'user@example.com',
      aegis_role: 'user',
      timestamp: 1_700_000_000,
    }
    expect(aegisWebhookEventSchema.parse(body)).toEqual(body)
  })

  it('accepts other event types with few fields, keeping unknown keys', () => {
    expect(aegisWebhookEventSchema.parse({ event_type: 'user.deleted', reason: 'gdpr' })).toEqual({
      event_type: 'user.deleted',
      reason: 'gdpr',
    })
  })

  it('requires an event_type', () => {
    expect(aegisWebhookEventSchema.safeParse({ email: 'a@b.co' }).success).toBe(false)
    expect(aegisWebhookEventSchema.safeParse({ event_type: '' }).success).toBe(false)
  })
})

describe('parseAdminEmails', () => {
  it('splits, trims, lowercases and drops empties', () => {
    expect(parseAdminEmails(' Ada@Example.com, ,bob@x.io,,ADA@example.com ')).toEqual(
      new Set(['ada@example.com', 'bob@x.io']),
    )
  })

  it('is empty (nobody) when unset or blank', () => {
    expect(parseAdminEmails(undefined).size).toBe(0)
    expect(parseAdminEmails('  ,  ').size).toBe(0)
  })
})
