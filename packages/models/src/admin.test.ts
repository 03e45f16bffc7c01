import { describe, expect, it } from 'vitest'
import { consoleAdminCreateSchema, consoleAdminWireSchema } from './admin'
import { itRejects } from './test-helpers'

describe('consoleAdminCreateSchema', () => {
  it('lowercases and trims the email', () => {
    expect(consoleAdminCreateSchema.parse({ email: '  Ada@Example.COM ' })).toEqual({ email: 'ada@example.com' })
  })

  it('keeps an aegis user id', () => {
    expect(consoleAdminCreateSchema.parse({ email: 'a@b.co', aegis_user_id: 'u-1' }).aegis_user_id).toBe('u-1')
  })

  itRejects(consoleAdminCreateSchema, [
    [{ email: 'not-an-email' }, 'email: expected an email address'],
    [{ email: '' }, 'email: expected an email address'],
    [{}, 'email:'],
    [{ email: 'a@b.co', aegis_user_id: '' }, 'aegis_user_id:'],
  ])
})

describe('consoleAdminWireSchema', () => {
  const wire = {
    admin_id: '6f1c2a1e-8a7b-4c1d-9e2f-0a1b2c3d4e5f',
    aegis_user_id: null,
    email: 'ada@example.com',
    created_at: 1_700_000_000,
    source: 'cli',
    binding: 'pending',
    aegis_webhook_user_id: null,
  }

  it('accepts an admin provisioned before first sign-in', () => {
    expect(consoleAdminWireSchema.parse(wire)).toEqual(wire)
  })

  it('rejects an unknown source', () => {
    expect(consoleAdminWireSchema.safeParse({ ...wire, source: 'manual' }).success).toBe(false)
  })
})
