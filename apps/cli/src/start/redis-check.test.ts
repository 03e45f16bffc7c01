import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { redisDownWarning } from './redis-check'

describe('redisDownWarning', () => {
  it('says what a Redis that does not answer means for authz, and how to fix it', async () => {
    // A port nothing listens on: taken, then released.
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo
        probe.close(() => resolve(port))
      })
    })
    expect(await redisDownWarning(`redis://:hunter2@127.0.0.1:${port}/0`, 300)).toBe(
      `Redis at redis://:***@127.0.0.1:${port}/0 does not answer: until it does, authz applies RATE_LIMIT_FAILURE_MODE (default: rate limits not enforced) and NONCE_FAILURE_MODE (default: HMAC requests refused); start Redis, or unset REDIS_URL for in-memory stores`,
    )
  })
})
