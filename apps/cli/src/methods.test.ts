import { describe, expect, it } from 'vitest'
import { CliError } from './errors'
import { authOf, parseMethodList, parseMethodSpecs, ruleFor } from './methods'

describe('parseMethodSpecs', () => {
  it('reads METHOD=AUTH pairs, repeated or comma-separated, any letter case', () => {
    expect(parseMethodSpecs(['get=public', 'POST:api-key,DELETE=HMAC', 'PUT=hmac_v2'])).toEqual({
      GET: { auth_required: false, auth_type: null },
      POST: { auth_required: true, auth_type: 'api_key' },
      DELETE: { auth_required: true, auth_type: 'hmac' },
      PUT: { auth_required: true, auth_type: 'hmac', signature_version: 'v2' },
    })
  })

  it.each([
    ['GET', /should be METHOD=AUTH/],
    ['FETCH=public', /"FETCH" is not a method/],
    ['GET=oauth', /"oauth" is not an auth type \(use public, api_key, hmac, hmac_v2 or hmac_any\)/],
  ])('refuses %s', (spec, message) => {
    expect(() => parseMethodSpecs([spec])).toThrow(message)
    expect(() => parseMethodSpecs([spec])).toThrow(CliError)
  })
})

describe('parseMethodList', () => {
  it('dedupes and orders methods the canonical way', () => {
    expect(parseMethodList(['post,get', 'GET'])).toEqual(['GET', 'POST'])
  })
})

describe('authOf', () => {
  it('is the inverse of ruleFor', () => {
    for (const auth of ['public', 'api_key', 'hmac', 'hmac_v2', 'hmac_any'] as const)
      expect(authOf(ruleFor(auth))).toBe(auth)
  })
})
