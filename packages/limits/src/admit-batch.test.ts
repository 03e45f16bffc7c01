import { describe, expect, it } from 'vitest'
import { splitReply } from './admit-batch'

describe('splitReply', () => {
  it('splits a batch reply into each admission reply', () => {
    expect(splitReply([2, 0, 1700, 4, 1, 1700, 3, 59000, 4, 2, 1700, 30, 12000], 3)).toEqual([
      [0, 1700],
      [1, 1700, 3, 59000],
      [2, 1700, 30, 12000],
    ])
  })

  it.each([
    ['not an array', 'OK', 1],
    ['fewer replies than admissions', [2, 0, 1], 2],
    ['more replies than admissions', [2, 0, 1, 2, 0, 1], 1],
    ['a length past the end', [5, 0, 1], 1],
    ['a length that is not a number', ['2', 0, 1], 1],
  ])('refuses %s', (_label, reply, count) => {
    expect(splitReply(reply, count)).toBeUndefined()
  })
})
