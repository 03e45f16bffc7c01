import { findPostgresBin, type ReplicatedPostgres, startReplicatedPostgres } from '@gatekeeper/testkit/postgres-servers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb } from '../src/client'
import { connectionFactory, isDatabaseUnavailable, NoUsableHostError } from '../src/hosts'

// A primary and a streaming standby of this test's own (never the shared server): the host list must find the
// primary whatever the order, refuse the standby for read-write, and follow a promotion.

const bin = findPostgresBin()
if ('missing' in bin) console.info(`skipping the multi-host tests: ${bin.missing}`)

describe.skipIf('missing' in bin)('multi-host DATABASE_URL against a real primary and standby', () => {
  let pair: ReplicatedPostgres

  beforeAll(async () => {
    pair = await startReplicatedPostgres({ synchronous: true })
    await pair.createDatabase('hosts_test')
  }, 45_000)

  afterAll(() => pair?.destroy())

  const standbyFirst = () =>
    `postgres://postgres@127.0.0.1:${pair.standby.port},127.0.0.1:${pair.primary.port}/hosts_test?target_session_attrs=read-write`

  it('finds the primary even when the standby is listed first; any takes the first host', async () => {
    const db = createDb(standbyFirst(), { max: 2 })
    try {
      const { rows } = await db.pool.query<{ port: number; rec: boolean }>(
        'SELECT inet_server_port() AS port, pg_is_in_recovery() AS rec',
      )
      expect(rows[0]).toEqual({ port: pair.primary.port, rec: false })
      await db.pool.query('CREATE TABLE t (n int)')
    } finally {
      await db.close()
    }
    const any = createDb(standbyFirst().replace('read-write', 'any'), { max: 1 })
    try {
      const { rows } = await any.pool.query<{ port: number }>('SELECT inet_server_port() AS port')
      expect(rows[0]?.port).toBe(pair.standby.port)
    } finally {
      await any.close()
    }
  })

  it('a standby alone is refused for read-write with a message naming it; standby takes it', async () => {
    const only = `postgres://postgres@127.0.0.1:${pair.standby.port}/hosts_test`
    const db = createDb(`${only}?target_session_attrs=read-write`, { max: 1 })
    try {
      const err = await db.pool.query('SELECT 1').catch((e: unknown) => e)
      expect(err).toBeInstanceOf(NoUsableHostError)
      expect((err as Error).message).toContain(`127.0.0.1:${pair.standby.port} is a standby (in recovery)`)
      expect(isDatabaseUnavailable(err)).toBe(true)
    } finally {
      await db.close()
    }
    const client = connectionFactory(`${only}?target_session_attrs=standby`).client({})
    await client.connect()
    expect((await client.query('SELECT pg_is_in_recovery() AS r')).rows[0]).toEqual({ r: true })
    await client.end()
  })

  it('follows a promotion: the pool fails while no host is read-write, then writes to the new primary', async () => {
    const db = createDb(pair.multiHostUrl('hosts_test'), { max: 2, connectTimeoutMs: 2000 })
    const listen = connectionFactory(pair.multiHostUrl('hosts_test')).client({})
    listen.on('error', () => undefined)
    try {
      await db.pool.query('CREATE TABLE IF NOT EXISTS t (n int)')
      await db.pool.query('INSERT INTO t VALUES (1)')
      await listen.connect()
      const lost = new Promise<void>((resolve) => listen.once('end', () => resolve()))
      pair.primary.stop('immediate')
      await lost // the LISTEN-style connection notices the crash

      const during = await db.pool.query('INSERT INTO t VALUES (2)').catch((e: unknown) => e)
      expect(isDatabaseUnavailable(during)).toBe(true)

      pair.standby.promote()
      await db.pool.query('INSERT INTO t VALUES (3)')
      const { rows } = await db.pool.query<{ port: number; n: number[] }>(
        'SELECT inet_server_port() AS port, array_agg(n ORDER BY n) AS n FROM t',
      )
      expect(rows[0]).toEqual({ port: pair.standby.port, n: [1, 3] })

      const again = connectionFactory(pair.multiHostUrl('hosts_test')).client({})
      await again.connect()
      expect((await again.query('SELECT inet_server_port() AS port')).rows[0]).toEqual({ port: pair.standby.port })
      await again.end()
    } finally {
      await db.close()
      await listen.end().catch(() => undefined)
    }
  })
})
