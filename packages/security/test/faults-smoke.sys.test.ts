import { accepting } from '@gatekeeper/testkit/ports'
import { PrivateRedis, pingRedis } from '@gatekeeper/testkit/redis'
import { startRelay } from '@gatekeeper/testkit/relay'
import { describe, expect, it } from 'vitest'
import { runFaults } from '../src/faults/run'

// A quick run of the fault harness inside the test command: the private PostgreSQL and Redis, the launchers,
// the checked load and one whole scenario (the LISTEN connection killed three times). `pnpm faults` runs them
// all; this only proves the machinery works, in well under 30 s.

describe('the fault harness', () => {
  it('runs the LISTEN-kill scenario on a private PostgreSQL and Redis: zero wrong decisions, changes applied', async () => {
    const logged: string[] = []
    const [result] = await runFaults({ only: ['listen-kill'], scale: 0.3, log: (m) => logged.push(m) })
    expect(result?.failures).toEqual([])
    expect(result?.passed).toBe(true)
    const figures = Object.fromEntries(result?.figures ?? [])
    expect(figures['changes from the fault in effect (suspend, grant, new route)']).toBe(
      '403 client_suspended; 200 authenticated; 200 no_auth_required',
    )
  }, 30_000)

  it('a private Redis can be killed and started again on its port', async () => {
    const redis = await PrivateRedis.start()
    try {
      expect(await accepting(redis.port)).toBe(true)
      await redis.kill()
      expect(await accepting(redis.port)).toBe(false)
      await redis.start()
      expect(await accepting(redis.port)).toBe(true)
    } finally {
      await redis.stop()
    }
  })

  it('the TCP switch forwards, refuses and blackholes', async () => {
    const redis = await PrivateRedis.start()
    const wire = await startRelay({ port: redis.port })
    const ping = () => pingRedis(wire.port, 300)
    try {
      expect(await ping()).toBe('PONG')
      wire.mode = 'refuse'
      expect(await ping()).toBe('reset')
      wire.mode = 'blackhole'
      expect(await ping()).toBe('timeout')
      wire.mode = 'forward'
      expect(await ping()).toBe('PONG')
    } finally {
      await wire.close()
      await redis.stop()
    }
  })
})
