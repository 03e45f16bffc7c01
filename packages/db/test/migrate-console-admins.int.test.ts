import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createTestDatabase, type TestDatabase } from '@gatekeeper/testkit/postgres'
import { Client } from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { MIGRATIONS_DIR, runMigrations } from '../src/migrate'

// 0002 separates the webhook's user id from the sign-in binding. A database migrated before it holds rows
// a webhook bound to its own user_id (which need not be the /me uuid): they become pending again.

/** The migrations folder as it was up to (not including) `tag`. */
function migrationsBefore(tag: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gk-migrations-'))
  cpSync(MIGRATIONS_DIR, dir, { recursive: true })
  const journalPath = path.join(dir, 'meta', '_journal.json')
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> }
  const at = journal.entries.findIndex((e) => e.tag === tag)
  expect(at).toBeGreaterThan(0)
  journal.entries = journal.entries.slice(0, at)
  writeFileSync(journalPath, JSON.stringify(journal))
  return dir
}

describe('migration 0002_console_admin_webhook_user_id', () => {
  let testDb: TestDatabase | undefined
  let dir: string | undefined
  afterEach(async () => {
    await testDb?.drop()
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  })

  it('moves webhook-written bindings to aegis_webhook_user_id and leaves other rows bound', async () => {
    testDb = await createTestDatabase({ migrate: false })
    dir = migrationsBefore('0002_console_admin_webhook_user_id')
    await runMigrations({ url: testDb.url }, { migrationsFolder: dir })
    const client = new Client({ connectionString: testDb.url })
    await client.connect()
    try {
      await client.query(
        `INSERT INTO console_admins (email, aegis_user_id, source) VALUES
           ('hook@example.com', '4242', 'webhook'), ('cli@example.com', 'uuid-1', 'cli'), ('new@example.com', NULL, 'webhook')`,
      )
      await runMigrations({ url: testDb.url })
      const rows = await client.query(
        'SELECT email, aegis_user_id, aegis_webhook_user_id FROM console_admins ORDER BY email',
      )
      expect(rows.rows).toEqual([
        { email: 'cli@example.com', aegis_user_id: 'uuid-1', aegis_webhook_user_id: null },
        { email: 'hook@example.com', aegis_user_id: null, aegis_webhook_user_id: '4242' },
        { email: 'new@example.com', aegis_user_id: null, aegis_webhook_user_id: null },
      ])
    } finally {
      await client.end()
    }
  })
})
