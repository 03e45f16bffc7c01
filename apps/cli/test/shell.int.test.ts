import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { shellQuote } from '../src/shell'

describe('shellQuote', () => {
  it.each(['plain', 'with space', "it's", 'Authorization: HMAC client_id="x",signature="y"', '$(rm -rf /)', ''])(
    'round-trips %j through sh',
    (word) => {
      expect(execFileSync('sh', ['-c', `printf %s ${shellQuote(word)}`], { encoding: 'utf8' })).toBe(word)
    },
  )
})
