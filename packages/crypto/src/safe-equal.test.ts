import { describe, expect, it } from 'vitest'
import { safeEqual } from './safe-equal'

describe('safeEqual', () => {
  it('is true for equal values, strings and buffers alike', () => {
    expect(safeEqual('secret', 'secret')).toBe(true)
    expect(safeEqual(Buffer.from('secret'), 'secret')).toBe(true)
    expect(safeEqual('', '')).toBe(true)
    expect(safeEqual('ключ', Buffer.from('ключ', 'utf8'))).toBe(true)
  })

  it('is false for different values, including different lengths and prefixes', () => {
    expect(safeEqual('secret', 'secreT')).toBe(false)
    expect(safeEqual('secret', 'secret ')).toBe(false)
    expect(safeEqual('secret', 'secretsecret')).toBe(false)
    expect(safeEqual('', 'a')).toBe(false)
    expect(safeEqual(Buffer.from([0]), Buffer.alloc(0))).toBe(false)
  })
})
