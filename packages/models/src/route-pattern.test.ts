import { describe, expect, it } from 'vitest'
import { routePatternProblem, routePatternSchema } from './route-pattern'
import { itRejectsFirstIssue } from './test-helpers'

describe('routePatternSchema', () => {
  it.each([
    '/',
    '/*',
    '/api/users',
    '/api/users/',
    '/api/users/*',
    '/api/v1/users/{id}',
    '/a/b.json',
    '/a/.well-known/x',
    '/a/...',
    '/caf\u00e9',
  ])('accepts %j', (pattern) => {
    expect(routePatternSchema.parse(pattern)).toBe(pattern)
  })

  itRejectsFirstIssue(routePatternSchema, [
    ['', 'empty'],
    ['api', "start with '/'"],
    ['*', "start with '/'"],
    ['/api/*/x', "'*' is only allowed"],
    ['/api/users*', "'*' is only allowed"],
    ['/api/*/*', "'*' is only allowed"],
    ['/*/', "'*' is only allowed"],
    ['/a//b', 'empty segments'],
    ['//', 'empty segments'],
    ['/a//*', 'empty segments'],
    ['/a/../b', "'.' or '..'"],
    ['/a/./b', "'.' or '..'"],
    ['/a/..', "'.' or '..'"],
    ['/../*', "'.' or '..'"],
    ['/a/%2e', 'percent-escapes'],
    ['/a%20b', 'percent-escapes'],
    ['/a b', 'whitespace'],
    ['/a\tb', 'whitespace'],
    ['/a\u0000b', 'control'],
    ['/a\u00a0b', 'whitespace'],
    ['/a?x=1', 'query string'],
    ['/a#frag', 'fragment'],
    ['/a\\..\\b', 'backslash'],
  ])

  it('limits the length to 1024', () => {
    expect(routePatternProblem(`/${'a'.repeat(1023)}`)).toBeNull()
    expect(routePatternProblem(`/${'a'.repeat(1024)}`)).toContain('at most 1024')
  })

  it('rejects non-strings', () => {
    expect(routePatternSchema.safeParse(42).success).toBe(false)
  })
})
