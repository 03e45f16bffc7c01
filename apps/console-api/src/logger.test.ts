import { describe, expect, it } from 'vitest'
import { createLogger } from './logger'

describe('createLogger', () => {
  it('redacts authorization headers, passwords, tokens, keys and secrets', () => {
    const lines: string[] = []
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => lines.push(line) } })
    logger.info(
      {
        headers: { authorization: 'Bearer tok-1', 'x-tenant-api-key': 'tenant-1' },
        body: { password: 'pw-1', new_password: 'pw-2', token: 'tok-2', api_key: 'gk_key', shared_secret: 'sec-1' },
        password: 'pw-3',
      },
      'something',
    )
    const text = lines.join('')
    for (const secret of ['tok-1', 'tenant-1', 'pw-1', 'pw-2', 'tok-2', 'gk_key', 'sec-1', 'pw-3']) {
      expect(text).not.toContain(secret)
    }
    expect(text).toContain('[redacted]')
    expect(JSON.parse(text)).toMatchObject({ msg: 'something', service: 'console-api' })
  })
})
