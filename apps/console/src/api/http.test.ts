import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { createFakeApi, errorReply } from '../../test/fake-api'
import { createHttpClient } from './http'

function client(token: string | null = 'tok') {
  const api = createFakeApi()
  const onUnauthorized = vi.fn()
  const http = createHttpClient({ fetch: api.fetch, getToken: () => token, onUnauthorized })
  return { api, http, onUnauthorized }
}

describe('createHttpClient', () => {
  it('sends the bearer token to the admin API only', async () => {
    const { api, http } = client()
    api.on('GET /api/admin/routes', { status: 200, body: [] }).on('POST /api/auth/login', { status: 200, body: {} })
    await http.request('GET', '/api/admin/routes', z.array(z.unknown()))
    await http.request('POST', '/api/auth/login', z.unknown(), { body: { email: 'a@b.c' } })
    expect(api.calls.map((call) => call.authorization)).toEqual(['Bearer tok', null])
  })

  it('reports a 401 from the admin API as an expired session, but not one from sign-in', async () => {
    const { api, http, onUnauthorized } = client()
    api.on('GET /api/admin/clients', errorReply(401, 'unauthorized', 'token expired'))
    api.on('POST /api/auth/login', { status: 401, body: { error: 'invalid credentials' } })
    await expect(http.request('POST', '/api/auth/login', z.unknown())).rejects.toMatchObject({
      status: 401,
      message: 'invalid credentials',
    })
    expect(onUnauthorized).not.toHaveBeenCalled()
    await expect(http.request('GET', '/api/admin/clients', z.unknown())).rejects.toMatchObject({ status: 401 })
    expect(onUnauthorized).toHaveBeenCalledOnce()
  })

  it('carries the envelope details of a refusal', async () => {
    const { api, http } = client()
    api.on(
      'POST /api/admin/routes',
      errorReply(400, 'validation_error', 'invalid request', [{ path: 'domain', message: 'bad' }]),
    )
    await expect(http.request('POST', '/api/admin/routes', z.unknown(), { body: {} })).rejects.toMatchObject({
      status: 400,
      code: 'validation_error',
      details: [{ path: 'domain', message: 'bad' }],
    })
  })

  it('says when an answer does not have the expected shape, and when the server is unreachable', async () => {
    const { api, http } = client()
    api.on('GET /api/admin/routes', { status: 200, body: { nope: true } })
    await expect(http.request('GET', '/api/admin/routes', z.array(z.unknown()))).rejects.toMatchObject({
      code: 'unexpected_response',
    })
    const offline = createHttpClient({
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
      getToken: () => null,
      onUnauthorized: () => undefined,
    })
    await expect(offline.request('GET', '/api/config', z.unknown())).rejects.toMatchObject({
      status: 0,
      code: 'network_error',
    })
  })

  it('leaves empty query parameters out', async () => {
    const { api, http } = client()
    api.on('GET /api/admin/permissions', { status: 200, body: [] })
    await http.request('GET', '/api/admin/permissions', z.unknown(), { query: { client_id: 'c', route_id: '' } })
    expect(api.calls[0]?.query.toString()).toBe('client_id=c')
  })
})
