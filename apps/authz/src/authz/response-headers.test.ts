import { describe, expect, it } from 'vitest'
import { allowResponse } from './respond'
import { ALLOW_RESPONSE_HEADERS } from './response-headers'

describe('ALLOW_RESPONSE_HEADERS', () => {
  it('names exactly the headers an allow sets besides Content-Length, when every optional one is present', () => {
    const res = allowResponse(
      {
        allowed: true,
        status: 200,
        reason: 'authenticated',
        routeId: 'r-1',
        serviceName: 'orders',
        clientId: 'c-1',
        clientName: 'billing',
        contentDigest: 'sha-256=:x:',
      },
      'req-1',
      '/orders/1',
    )
    const names = [...res.headers.keys()].filter((name) => name !== 'content-length')
    expect(names.sort()).toEqual(Object.values(ALLOW_RESPONSE_HEADERS).sort())
  })
})
