import { type TestDatabase, useTestDatabase } from '@gatekeeper/testkit/postgres'
import { afterAll, beforeAll } from 'vitest'
import { createDb, type DbHandle } from '../src/client'

/**
 * A migrated database of the file's own and a pool on it, opened in beforeAll and closed in afterAll. The objects
 * are filled in once beforeAll has run; read them inside tests and hooks.
 */
export function useDb(opts: { max?: number } = {}): { testDb: TestDatabase; handle: DbHandle } {
  const testDb = useTestDatabase()
  const handle = {} as DbHandle
  beforeAll(() => {
    Object.assign(handle, createDb(testDb.url, { max: opts.max ?? 2 }))
  })
  afterAll(async () => {
    await handle.close?.()
  })
  return { testDb, handle }
}
