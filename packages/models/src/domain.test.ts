import { describe, expect, it } from 'vitest'
import { domainSchema } from './domain'
import { itRejectsFirstIssue } from './test-helpers'

describe('domainSchema', () => {
  it.each([
    ['*', '*'],
    ['*.example.com', '*.example.com'],
    ['API.Example.com', 'api.example.com'],
    ['*.Example.COM', '*.example.com'],
    ['  api.example.com ', 'api.example.com'],
    ['localhost', 'localhost'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['a-b.c-d.io', 'a-b.c-d.io'],
    ['10.0.0.1', '10.0.0.1'],
    ['255.255.255.255', '255.255.255.255'],
    [`${'a'.repeat(63)}.com`, `${'a'.repeat(63)}.com`],
  ])('accepts %j as %j', (input, expected) => {
    expect(domainSchema.parse(input)).toBe(expected)
  })

  itRejectsFirstIssue(domainSchema, [
    ['*.*.com', "'*' is only allowed"],
    ['ex*.com', "'*' is only allowed"],
    ['a.*.com', "'*' is only allowed"],
    ['**', "'*' is only allowed"],
    ['a.com:80', 'without a port'],
    ['[::1]', 'without a port'],
    ['a.com.', 'must not end with a dot'],
    ['', 'must not be empty'],
    ['*.', "host name after '*.'"],
    ['-a.com', "invalid label '-a'"],
    ['a-.com', "invalid label 'a-'"],
    ['a..com', "invalid label ''"],
    ['under_score.com', "invalid label 'under_score'"],
    ['h\u00e9llo.com', 'invalid label'],
    [`${'a'.repeat(64)}.com`, 'invalid label'],
    ['999.1.1.1', 'neither a valid IPv4'],
    ['1.2.3', 'neither a valid IPv4'],
    ['*.10.0.0.1', 'not an IP address'],
    ['http://a.com', 'without a port'],
    ['a.com/x', 'invalid label'],
  ])

  it('limits the total length to 253', () => {
    const label = 'a'.repeat(61)
    const ok = [label, label, label, label].join('.') // 247
    expect(domainSchema.safeParse(`${ok}.abcde`).success).toBe(true) // 253
    expect(domainSchema.safeParse(`${ok}.abcdef`).success).toBe(false) // 254
  })
})
