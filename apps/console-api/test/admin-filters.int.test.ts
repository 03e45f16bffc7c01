import type { ErrorEnvelope } from '@gatekeeper/models'
import { describe, expect, it } from 'vitest'
import { json, useAdminHarness } from './harness'

// Control characters (NUL above all: Postgres cannot hold it in text) in any filter, paging or id
// parameter of the admin API are the caller's mistake: a 400 naming the parameter, never a 500, and
// nothing of the query or its parameters in the logs.

const { h, admin: session } = useAdminHarness()

const CONTROLS = ['%00', '%01', '%09', '%0A', '%0D', '%1B', '%1F', '%7F', '%C2%85']
const UUID = '0b9c5c1e-8a8e-4f5e-9a43-3d2f8f2f2c10'

/** Every filter and paging parameter, with a value that is fine without the control character. */
const FILTERS: Array<[string, string, string]> = [
  ['/audit', 'actor', 'a{}b'],
  ['/audit', 'action', 'route.{}create'],
  ['/audit', 'entity_id', 'x{}y'],
  ['/audit', 'entity_type', 'route{}'],
  ['/audit', 'since', '1{}'],
  ['/audit', 'until', '{}2'],
  ['/audit', 'limit', '1{}0'],
  ['/audit', 'offset', '0{}'],
  ['/permissions', 'client_id', `${UUID}{}`],
  ['/permissions', 'route_id', `{}${UUID}`],
  ['/permissions', 'limit', '5{}'],
  ['/routes', 'limit', '5{}'],
  ['/routes', 'offset', '{}1'],
  ['/clients', 'limit', '5{}'],
  ['/rate-limits', 'offset', '0{}'],
]

const ID_PATHS = [
  ['GET', '/routes/{}'],
  ['DELETE', '/routes/{}'],
  ['GET', '/clients/{}'],
  ['POST', '/clients/{}/rotate'],
  ['DELETE', '/permissions/{}'],
  ['GET', '/rate-limits/{}/usage'],
  ['DELETE', '/admins/{}'],
]

describe('control characters in admin parameters', () => {
  it.each(FILTERS)('GET %s?%s= answers 400 for every control character', async (path, param, template) => {
    for (const control of CONTROLS) {
      const res = await h.call('GET', `/api/admin${path}?${param}=${template.replace('{}', control)}`, {
        token: session.token,
      })
      expect(res.status, `${param} with ${control}`).toBe(400)
      const body = await json<ErrorEnvelope>(res)
      expect(body.error).toBe('validation_error')
      expect(body.details?.map((d) => d.path)).toContain(param)
    }
    // The same value without the control character is accepted.
    const clean = await h.call('GET', `/api/admin${path}?${param}=${template.replace('{}', '')}`, {
      token: session.token,
    })
    expect(clean.status).toBe(200)
  })

  it.each(ID_PATHS)('%s %s with a control character in the id answers 400', async (method, path) => {
    for (const id of ['%00', `${UUID}%00`, `a%0Ab`]) {
      const res = await h.call(method, `/api/admin${path.replace('{}', id)}`, {
        token: session.token,
        json: method === 'POST' ? {} : undefined,
      })
      expect(res.status, `${method} ${path} ${id}`).toBe(400)
    }
  })

  it('logged no unhandled error, no SQL and no parameter value', () => {
    const text = h.rawLogs.join('\n')
    expect(text).not.toMatch(/unhandled error|Failed query|params:|"level":50/)
    expect(text).not.toContain('\\u0000')
  })
})
