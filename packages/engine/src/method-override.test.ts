import { describe, expect, it } from 'vitest'
import { hasMethodOverrideParameter } from './credentials'

describe('hasMethodOverrideParameter', () => {
  it.each([
    '_method=DELETE',
    'a=1&_method=DELETE',
    'a=1;_method=PUT',
    '_METHOD=delete',
    '%5Fmethod=DELETE',
    '%5f%6Dethod=DELETE',
    '_method[]=DELETE',
    '_method%00=DELETE',
    '_method',
  ])('finds %j', (query) => {
    expect(hasMethodOverrideParameter(query)).toBe(true)
  })

  it.each(['', 'method=DELETE', 'x_method=DELETE', 'a=_method', '_methods=1', 'q=%ZZ'])('leaves %j alone', (query) => {
    expect(hasMethodOverrideParameter(query)).toBe(false)
  })
})
