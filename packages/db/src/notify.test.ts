import { describe, expect, it } from 'vitest'
import { parseConfigFeedMessage, parseConfigNotification } from './notify'

const valid = {
  table: 'client_permissions',
  op: 'update',
  id: '5d9c1f8e-3c1a-4c7e-9a57-1f0c6c1d2b3a',
  client_id: '0b7c3a4e-9f1d-4b8a-8c2e-6a5f4d3c2b1a',
  version: 42,
}

describe('parseConfigNotification', () => {
  it('reads a payload as the trigger writes it', () => {
    expect(parseConfigNotification(JSON.stringify(valid))).toEqual({
      table: 'client_permissions',
      op: 'update',
      id: valid.id,
      clientId: valid.client_id,
      version: 42,
    })
  })

  it('accepts a null client_id (routes, clients)', () => {
    const parsed = parseConfigNotification(JSON.stringify({ ...valid, table: 'routes', client_id: null }))
    expect(parsed?.clientId).toBeNull()
  })

  it.each([
    ['not json', '{'],
    ['json null', 'null'],
    ['an array', '[]'],
    ['a number', '7'],
    ['an unwatched table', JSON.stringify({ ...valid, table: 'console_admins' })],
    ['an unknown op', JSON.stringify({ ...valid, op: 'truncate' })],
    ['an upper-case op', JSON.stringify({ ...valid, op: 'INSERT' })],
    ['a missing id', JSON.stringify({ ...valid, id: undefined })],
    ['an empty id', JSON.stringify({ ...valid, id: '' })],
    ['a numeric client_id', JSON.stringify({ ...valid, client_id: 3 })],
    ['a missing client_id', JSON.stringify({ ...valid, client_id: undefined })],
    ['a string version', JSON.stringify({ ...valid, version: '42' })],
    ['a fractional version', JSON.stringify({ ...valid, version: 4.2 })],
    ['a zero version', JSON.stringify({ ...valid, version: 0 })],
  ])('returns null for %s', (_label, payload) => {
    expect(parseConfigNotification(payload)).toBeNull()
  })
})

describe('parseConfigFeedMessage', () => {
  const batch = { table: '*', op: 'batch', id: '7c0e9a52-7f51-4f0e-9d1e-2b8b6f0a1c3d', client_id: null, version: 9 }

  it('reads a batch as the trigger writes it, and a row change as parseConfigNotification does', () => {
    expect(parseConfigFeedMessage(JSON.stringify(batch))).toEqual({ batch: batch.id, version: 9 })
    expect(parseConfigFeedMessage(JSON.stringify(valid))).toEqual(parseConfigNotification(JSON.stringify(valid)))
  })

  it('a batch is not a row change', () => {
    expect(parseConfigNotification(JSON.stringify(batch))).toBeNull()
  })

  it.each([
    ['an unknown op', { ...batch, op: 'insert' }],
    ['an empty id', { ...batch, id: '' }],
    ['a zero version', { ...batch, version: 0 }],
    ['a string version', { ...batch, version: '9' }],
  ])('returns null for a batch with %s', (_label, payload) => {
    expect(parseConfigFeedMessage(JSON.stringify(payload))).toBeNull()
  })
})
