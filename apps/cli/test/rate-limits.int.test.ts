import { createRedisAdmissionStore } from '@gatekeeper/limits'
import type { ClientCreatedWire, RateLimitUsageWire, RateLimitWire } from '@gatekeeper/models'
import { beforeAll, describe, expect, it } from 'vitest'
import { cliEnv, cliJson, expectOneLineError, runCli, useCliDatabase } from './support/cli'

const REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

const { db, env } = useCliDatabase({ REDIS_URL })
let client: ClientCreatedWire

beforeAll(async () => {
  client = await cliJson<ClientCreatedWire>(['client', 'create', '--name', 'Limited', '--api-key'], env)
})

describe('rate-limit', () => {
  it('set, update one window, list, and clear (confirmed)', async () => {
    const set = await cliJson<RateLimitWire>(
      ['rate-limit', 'set', client.client_id, '--per-day', '1000', '--per-minute', '10'],
      env,
    )
    expect(set).toMatchObject({
      client_id: client.client_id,
      client_name: 'Limited',
      requests_per_day: 1000,
      requests_per_minute: 10,
    })
    const minuteOff = await cliJson<RateLimitWire>(['rate-limit', 'set', client.client_id, '--per-minute', 'none'], env)
    expect(minuteOff).toMatchObject({ requests_per_day: 1000, requests_per_minute: null })
    expect(await cliJson<RateLimitWire[]>(['rate-limit', 'list'], env)).toEqual([minuteOff])

    const refused = await runCli(['rate-limit', 'clear', client.client_id], env)
    expect(refused.code).toBe(5)
    expect(await cliJson<RateLimitWire[]>(['rate-limit', 'list'], env)).toHaveLength(1)
    const cleared = await cliJson<RateLimitWire>(['rate-limit', 'clear', client.client_id, '--yes'], env)
    expect(cleared.requests_per_day).toBe(1000)
    expect(await cliJson<RateLimitWire[]>(['rate-limit', 'list'], env)).toEqual([])
  })

  it('bad limits are one line, exit 2', async () => {
    const zero = await runCli(['rate-limit', 'set', client.client_id, '--per-day', '0'], env)
    expect(zero.code).toBe(2)
    expect(expectOneLineError(zero)).toMatch(/--per-day: "0" is not a whole number/)
    const none = await runCli(['rate-limit', 'set', client.client_id], env)
    expect(none.code).toBe(2)
    const allOff = await runCli(['rate-limit', 'set', client.client_id, '--per-day', 'none'], env)
    expect(allOff.code).toBe(2)
    expect(expectOneLineError(allOff)).toBe(
      `gatekeeper: that would leave no limit at all: to remove the client's rate limit, run \`gatekeeper rate-limit clear ${client.client_id}\``,
    )
  })

  it('usage reads what authz counted in Redis', async () => {
    await cliJson(['rate-limit', 'set', client.client_id, '--per-day', '50', '--per-minute', '5'], env)
    // Count three requests the way authz does (same store, same keys).
    const closed = { rateLimitFailureMode: 'closed', nonceFailureMode: 'closed' } as const
    const store = createRedisAdmissionStore({ url: REDIS_URL, timeoutMs: 2000, ...closed })
    try {
      expect(await store.ready(3000)).toBe(true)
      for (let i = 0; i < 3; i++) {
        const result = await store.admit({ clientId: client.client_id, limits: { perDay: 50, perMinute: 5 } })
        expect(result.outcome).toBe('allowed')
      }
    } finally {
      await store.close()
    }
    const usage = await cliJson<RateLimitUsageWire>(['rate-limit', 'usage', client.client_id], env)
    expect(usage).toEqual({
      client_id: client.client_id,
      used_day: 3,
      remaining_day: 47,
      used_minute: 3,
      remaining_minute: 2,
    })
  })

  it('usage without Redis says why it cannot answer', async () => {
    const noRedis = cliEnv(db.url)
    noRedis.GATEKEEPER_MASTER_KEY = env.GATEKEEPER_MASTER_KEY ?? ''
    const result = await runCli(['rate-limit', 'usage', client.client_id], noRedis)
    expect(result.code).toBe(1)
    expect(expectOneLineError(result)).toMatch(/no Redis configured/)
    const down = await runCli(['rate-limit', 'usage', client.client_id], {
      ...noRedis,
      REDIS_URL: 'redis://127.0.0.1:1',
    })
    expect(down.code).toBe(6)
    expect(expectOneLineError(down)).toMatch(/cannot connect to Redis/)
  })
})
