import { describe, expect, it } from 'vitest'
import { type AuthzHeaders, fromFetchHeaders, fromRawHeaders } from './headers'

const EVERY: ReadonlyArray<[string, keyof AuthzHeaders]> = [
  ['X-Original-URI', 'originalUri'],
  ['X-Original-Method', 'originalMethod'],
  ['X-Original-Host', 'originalHost'],
  ['Host', 'host'],
  ['Authorization', 'authorization'],
  ['Content-Digest', 'contentDigest'],
  ['X-Original-Client-IP', 'xOriginalClientIp'],
  ['X-Request-ID', 'requestId'],
  ['X-API-Key', 'apiKey'],
  ['Api-Key', 'apiKey'],
]

describe('fromRawHeaders', () => {
  it('reads each header into its own field, in any spelling, as fromFetchHeaders does', () => {
    for (const [name, field] of EVERY) {
      for (const spelling of [name, name.toLowerCase(), name.toUpperCase()]) {
        const h = fromRawHeaders(['Accept', '*/*', spelling, `value of ${name}`, 'Connection', 'keep-alive'])
        const set = Object.entries(h).filter(([, v]) => v !== undefined && v !== false)
        expect(set, spelling).toEqual([[field, `value of ${name}`]])
        expect(h).toEqual(fromFetchHeaders(new Headers({ [spelling]: `value of ${name}` })))
      }
    }
  })

  it('names a repeated single header, joins list headers, and flags a second Authorization', () => {
    expect(fromRawHeaders(['X-Original-URI', '/a', 'x-original-uri', '/b'])).toMatchObject({
      originalUri: '/a, /b',
      duplicate: 'x-original-uri',
    })
    expect(fromRawHeaders(['X-Original-Client-IP', '203.0.113.1', 'X-Original-Client-IP', '10.0.0.1'])).toMatchObject({
      xOriginalClientIp: '203.0.113.1, 10.0.0.1',
      duplicate: undefined,
    })
    // Not read at all: who the client is comes from X-Original-Client-IP (trusted forwarders) or the socket.
    expect(fromRawHeaders(['X-Real-IP', '203.0.113.1', 'X-Forwarded-For', '10.0.0.1'])).toMatchObject({
      xOriginalClientIp: undefined,
    })
    expect(fromRawHeaders(['Authorization', 'Bearer a', 'authorization', 'Bearer b'])).toMatchObject({
      authorization: 'Bearer a, Bearer b',
      multipleAuthorization: true,
      duplicate: undefined,
    })
  })
})
