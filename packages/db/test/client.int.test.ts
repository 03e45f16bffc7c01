import { useTestDatabase } from '@gatekeeper/testkit/postgres'
import { describe, expect, it } from 'vitest'
import { createDb } from '../src/client'

const testDb = useTestDatabase()

describe('createDb', () => {
  it('reports a dropped idle connection instead of crashing, and keeps working', async () => {
    const errors: Error[] = []
    const handle = createDb(testDb.url, { applicationName: 'gk-pool-error-test', onError: (err) => errors.push(err) })
    const killer = createDb(testDb.url, { max: 1 })
    try {
      await handle.pool.query('SELECT 1') // leaves one idle connection in the pool
      await killer.pool.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'gk-pool-error-test'`,
      )
      await expect.poll(() => errors.length, { timeout: 5000 }).toBeGreaterThan(0)
      expect((await handle.pool.query<{ ok: number }>('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }])
    } finally {
      await handle.close()
      await killer.close()
    }
  })

  it('applies the statement timeout and application name', async () => {
    const handle = createDb(testDb.url, { statementTimeoutMs: 100, applicationName: 'gk-timeout-test' })
    try {
      const [row] = (
        await handle.pool.query<{ name: string }>('SELECT current_setting($1) AS name', ['application_name'])
      ).rows
      expect(row?.name).toBe('gk-timeout-test')
      await expect(handle.pool.query('SELECT pg_sleep(1)')).rejects.toThrow(/statement timeout/)
    } finally {
      await handle.close()
    }
  })

  it('closes once, however often close() is called', async () => {
    const handle = createDb(testDb.url)
    await handle.pool.query('SELECT 1')
    await Promise.all([handle.close(), handle.close()])
    expect(handle.pool.ended).toBe(true)
  })
})
