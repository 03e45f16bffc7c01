import { describe, expect, it } from 'vitest'
import { auditEntryWireSchema, auditQuerySchema } from './audit'
import { paginationQuerySchema } from './pagination'
import { issueLines, itRejects } from './test-helpers'

describe('auditQuerySchema', () => {
  it('applies defaults to an empty query', () => {
    expect(auditQuerySchema.parse({})).toEqual({ limit: 100, offset: 0 })
  })

  it('coerces query-string numbers and treats empty values as absent', () => {
    const parsed = auditQuerySchema.parse({
      actor: 'ada@example.com',
      entity_type: 'client',
      entity_id: '',
      since: '1700000000',
      until: '1700003600',
      limit: '50',
      offset: '',
    })
    expect(parsed).toEqual({
      actor: 'ada@example.com',
      entity_type: 'client',
      since: 1_700_000_000,
      until: 1_700_003_600,
      limit: 50,
      offset: 0,
    })
  })

  itRejects(auditQuerySchema, [
    [{ limit: '0' }, 'limit: expected an integer between 1 and 500'],
    [{ limit: '501' }, 'limit: expected an integer between 1 and 500'],
    [{ limit: '1e2' }, 'limit: expected an integer'],
    [{ limit: '10abc' }, 'limit: expected an integer'],
    [{ offset: '-1' }, 'offset: expected an integer'],
    [{ since: 'yesterday' }, 'since: expected an integer'],
    [{ since: '200', until: '100' }, 'since: since must not be after until'],
    [{ entity_type: 'user' }, 'entity_type: expected one of route, client'],
  ])
})

describe('paginationQuerySchema', () => {
  it('is opt-in: nothing given means no paging', () => {
    expect(paginationQuerySchema.parse({})).toEqual({})
  })

  it('coerces limit and offset', () => {
    expect(paginationQuerySchema.parse({ limit: '20', offset: '40' })).toEqual({ limit: 20, offset: 40 })
  })

  it('rejects out-of-range values', () => {
    expect(issueLines(paginationQuerySchema.safeParse({ limit: '1000' }))).toEqual([
      'limit: expected an integer between 1 and 500',
    ])
  })
})

describe('auditEntryWireSchema', () => {
  const entry = {
    audit_id: '1',
    at: 1_700_000_000,
    actor: 'ada@example.com',
    actor_type: 'console_admin',
    action: 'client.update',
    entity_type: 'client',
    entity_id: '6f1c2a1e-8a7b-4c1d-9e2f-0a1b2c3d4e5f',
    before: { status: 'active' },
    after: { status: 'suspended' },
    request_id: null,
  }

  it('accepts an entry', () => {
    expect(auditEntryWireSchema.parse(entry)).toEqual(entry)
  })

  it('rejects an unknown actor type or entity type', () => {
    expect(auditEntryWireSchema.safeParse({ ...entry, actor_type: 'robot' }).success).toBe(false)
    expect(auditEntryWireSchema.safeParse({ ...entry, entity_type: 'user' }).success).toBe(false)
  })
})
