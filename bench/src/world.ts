import { randomBytes } from 'node:crypto'
import { createSealer, deriveKeyId, type Sealer } from '@gatekeeper/crypto'
import { type AdminOps, createAdminOps } from '@gatekeeper/db/admin'
import { createDb, type DbHandle } from '@gatekeeper/db/client'
import { createTestDatabase, type TestDatabase } from '@gatekeeper/testkit/postgres'
import { type BulkSize, seedBulk } from './bulk'
import { createFixtures, type Fixtures } from './fixtures'

// One configuration database for a set of authz processes: a fresh migrated database (createTestDatabase),
// bulk rows of the requested size, then the benchmark's own routes and clients made through the admin
// operations console-api and the CLI use (validated, audited, notified).

export interface World {
  db: TestDatabase
  writer: DbHandle
  masterKey: string
  admin: AdminOps
  fixtures: Fixtures
  /** The configuration version committed so far. */
  version(): Promise<number>
  close(): Promise<void>
}

export async function createWorld(size: BulkSize, masterKey = randomBytes(32)): Promise<World> {
  const sealer: Sealer = createSealer({ active: { id: deriveKeyId(masterKey), key: masterKey } })
  const db = await createTestDatabase()
  const writer = createDb(db.url, { max: 2, applicationName: 'gatekeeper-bench', onError: () => undefined })
  try {
    await seedBulk(writer.pool, sealer, size)
    const admin = createAdminOps({ db: writer.db, sealer })
    const fixtures = await createFixtures(admin)
    return {
      db,
      writer,
      masterKey: masterKey.toString('base64'),
      admin,
      fixtures,
      async version() {
        const { rows } = await writer.pool.query<{ v: string }>(
          'SELECT version::text AS v FROM config_state WHERE id = 1',
        )
        return Number(rows[0]?.v ?? 0)
      },
      async close() {
        await writer.close()
        await db.drop()
      },
    }
  } catch (err) {
    await writer.close().catch(() => undefined)
    await db.drop().catch(() => undefined)
    throw err
  }
}
