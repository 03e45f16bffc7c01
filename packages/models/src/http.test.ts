import { describe, expect, it } from 'vitest'
import { HTTP_METHODS, httpMethodSchema, isHttpMethod, sortMethods } from './http'
import { expectFirstIssue } from './test-helpers'

describe('httpMethodSchema', () => {
  it.each(HTTP_METHODS)('accepts %s', (method) => {
    expect(httpMethodSchema.parse(method)).toBe(method)
  })

  it.each(['get', 'Get', 'TRACE', 'CONNECT', '', ' GET'])('rejects %j', (value) => {
    expectFirstIssue(httpMethodSchema.safeParse(value), 'GET, POST')
  })
})

describe('sortMethods', () => {
  it('deduplicates and orders as HTTP_METHODS', () => {
    expect(sortMethods(['OPTIONS', 'GET', 'DELETE', 'GET', 'POST'])).toEqual(['GET', 'POST', 'DELETE', 'OPTIONS'])
  })

  it('narrows strings', () => {
    expect(isHttpMethod('PATCH')).toBe(true)
    expect(isHttpMethod('patch')).toBe(false)
  })
})
