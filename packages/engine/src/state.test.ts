import { describe, expect, it } from 'vitest'
import { makeApiKey, makeClient, makePermission, makeRoute, makeSecret } from '../test/support/engine'
import { buildEngineState, EngineState } from './state'

describe('EngineState', () => {
  it('builds from a snapshot and reports rows it cannot honour', () => {
    const client = makeClient()
    const good = makeRoute()
    const bad = makeRoute({ routePattern: '/a/*/b' })
    const { key: _key, credential } = makeApiKey(client.id)
    const broken = { ...makeSecret(client.id), secret: null }
    const { state, issues } = buildEngineState({
      routes: [good, bad],
      clients: [client],
      credentials: [credential, broken],
      permissions: [makePermission(client.id, good.id, ['GET'])],
      rateLimits: [{ clientId: client.id, requestsPerDay: 5, requestsPerMinute: null }],
    })
    expect(issues.map((i) => [i.table, i.id])).toEqual([
      ['routes', bad.id],
      ['credentials', broken.id],
    ])
    expect(state.stats()).toEqual({ routes: 1, clients: 1, credentials: 1, permissions: 1, rateLimits: 1 })
  })

  it('indexes API keys by digest and forgets them on removal or when the digest changes', () => {
    const state = new EngineState()
    const a = makeApiKey('c1')
    const b = makeApiKey('c1')
    state.upsertCredential(a.credential)
    const digestA = a.credential.apiKeyDigest ?? ''
    expect(state.apiKey(digestA)?.credentialId).toBe(a.credential.id)
    // Same row, new key (rotation in place): the old digest must stop working.
    state.upsertCredential({ ...a.credential, apiKeyDigest: b.credential.apiKeyDigest })
    expect(state.apiKey(digestA)).toBeUndefined()
    expect(state.apiKey(b.credential.apiKeyDigest ?? '')?.credentialId).toBe(a.credential.id)
    state.removeCredential(a.credential.id)
    expect(state.apiKey(b.credential.apiKeyDigest ?? '')).toBeUndefined()
    expect(state.stats().credentials).toBe(0)
  })

  it('accepts an upper-case digest from the row (looked up lower case)', () => {
    const state = new EngineState()
    const a = makeApiKey('c1')
    state.upsertCredential({ ...a.credential, apiKeyDigest: (a.credential.apiKeyDigest ?? '').toUpperCase() })
    expect(state.apiKey(a.credential.apiKeyDigest ?? '')).toBeDefined()
  })

  it('keeps shared secrets per client, the current one first, and moves them with the row', () => {
    const state = new EngineState()
    const current = makeSecret('c1')
    const old = makeSecret('c1', { expiresAt: new Date(Date.now() + 60_000) })
    state.upsertCredential(old)
    state.upsertCredential(current)
    expect(state.hmacSecrets('c1')?.map((s) => s.secret)).toEqual([current.secret, old.secret])
    state.upsertCredential({ ...old, clientId: 'c2' })
    expect(state.hmacSecrets('c1')?.map((s) => s.secret)).toEqual([current.secret])
    expect(state.hmacSecrets('c2')?.map((s) => s.secret)).toEqual([old.secret])
    state.removeCredential(current.id)
    expect(state.hmacSecrets('c1')).toBeUndefined()
  })

  it('updates permissions one row at a time, including a move to another route', () => {
    const state = new EngineState()
    const p = makePermission('c1', 'r1', ['get', 'POST'])
    state.upsertPermission(p)
    expect([...(state.allowedMethods('c1', 'r1') ?? [])]).toEqual(['GET', 'POST'])
    state.upsertPermission({ ...p, routeId: 'r2', allowedMethods: ['DELETE'] })
    expect(state.allowedMethods('c1', 'r1')).toBeUndefined()
    expect([...(state.allowedMethods('c1', 'r2') ?? [])]).toEqual(['DELETE'])
    expect(state.removePermission(p.id)).toBe(true)
    expect(state.allowedMethods('c1', 'r2')).toBeUndefined()
    expect(state.removePermission(p.id)).toBe(false)
  })

  it('a rate-limit row with no limit at all means no limit', () => {
    const state = new EngineState()
    state.upsertRateLimit({ clientId: 'c1', requestsPerDay: 10, requestsPerMinute: null })
    expect(state.rateLimit('c1')?.requestsPerDay).toBe(10)
    state.upsertRateLimit({ clientId: 'c1', requestsPerDay: null, requestsPerMinute: null })
    expect(state.rateLimit('c1')).toBeUndefined()
  })

  it('client upserts replace status in place; removal forgets the client', () => {
    const state = new EngineState()
    const client = makeClient()
    state.upsertClient(client)
    state.upsertClient({ ...client, status: 'revoked' })
    expect(state.client(client.id)?.status).toBe('revoked')
    expect(state.removeClient(client.id)).toBe(true)
    expect(state.client(client.id)).toBeUndefined()
  })
})
