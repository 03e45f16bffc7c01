import { describe, expect, it } from 'vitest'
import { defaultedQueryInt, idSchema, pathIdSchema, queryStringSchema } from './primitives'

const UUID = '0b9c5c1e-8a8e-4f5e-9a43-3d2f8f2f2c10'
const CONTROLS = ['\u0000', '\u0001', '\t', '\n', '\r', '\u001b', '\u007f', '\u0085', '\u009f']

describe('control characters in query and path parameters', () => {
  it.each(CONTROLS.map((c) => [JSON.stringify(c), c]))('%s is refused anywhere in a filter, id or number', (_n, c) => {
    for (const value of [`a${c}b`, `${c}a`, `a${c}`]) {
      expect(queryStringSchema.safeParse(value).success, value).toBe(false)
    }
    expect(idSchema.safeParse(`${UUID}${c}`).success).toBe(false)
    expect(pathIdSchema.safeParse(`x${c}`).success).toBe(false)
    expect(defaultedQueryInt(0, 10, 1).safeParse(`5${c}`).success).toBe(false)
  })

  it('accepts the same values without them', () => {
    expect(queryStringSchema.parse(' a b ')).toBe('a b')
    expect(idSchema.parse(` ${UUID.toUpperCase()} `)).toBe(UUID)
    expect(pathIdSchema.parse('not-a-uuid')).toBe('not-a-uuid')
    expect(defaultedQueryInt(0, 10, 1).parse(' 5 ')).toBe(5)
    expect(queryStringSchema.parse('')).toBeUndefined()
  })
})
