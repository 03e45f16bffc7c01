import { describe, expect, it } from 'vitest'
import { guideBlocks, guideSteps, missingLine } from '../test/support/guide'

// The reader of docs/getting-started.md's marked blocks: if it matched too much, the guide's test would pass
// whatever the commands print.

describe('missingLine', () => {
  const actual = ['HTTP/1.1 403 Forbidden', 'Server: nginx', 'X-Auth-Reason: no_permission', '', '<html>'].join('\n')

  it('finds the expected lines in order, with other lines in between and … for any text', () => {
    expect(missingLine('HTTP/1.1 403 Forbidden\n…\nX-Auth-Reason: no_permission', actual)).toBeUndefined()
    expect(missingLine('HTTP/1.1 403 …\nX-Auth-Reason: no_…', actual)).toBeUndefined()
  })

  it('reports a line that is not there, a partial line, or lines out of order', () => {
    expect(missingLine('HTTP/1.1 200 OK', actual)).toBe('HTTP/1.1 200 OK')
    expect(missingLine('X-Auth-Reason: no_perm', actual)).toBe('X-Auth-Reason: no_perm')
    expect(missingLine('X-Auth-Reason: no_permission\nHTTP/1.1 403 Forbidden', actual)).toBe('HTTP/1.1 403 Forbidden')
  })

  it('takes regular-expression characters literally', () => {
    expect(missingLine('a.c', 'abc')).toBe('a.c')
    expect(missingLine('(one-time link, valid 60 min)', '(one-time link, valid 60 min)')).toBeUndefined()
  })
})

describe('guideBlocks and guideSteps', () => {
  const md = [
    '<!-- getting-started-test: run -->',
    '```sh',
    'echo hi',
    '```',
    '',
    '<!-- getting-started-test: output -->',
    '```text',
    'hi',
    '```',
    '```sh',
    'not marked',
    '```',
  ].join('\n')

  it('pairs each marked run block with the output block after it and skips unmarked blocks', () => {
    expect(guideSteps(guideBlocks(md))).toEqual([{ script: 'echo hi', expected: 'hi', line: 2 }])
  })

  it('refuses an unknown kind and a marker without a block', () => {
    expect(() => guideBlocks('<!-- getting-started-test: runn -->\n```sh\nx\n```')).toThrow(/unknown/)
    expect(() => guideBlocks('<!-- getting-started-test: run -->\ntext')).toThrow(/fenced block/)
    expect(() => guideSteps(guideBlocks('<!-- getting-started-test: output -->\n```text\nx\n```'))).toThrow(
      /must follow a run block/,
    )
  })
})
