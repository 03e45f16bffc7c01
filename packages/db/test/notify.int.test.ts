import { createTestDatabase, type TestDatabase } from '@gatekeeper/testkit/postgres'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb, type DbHandle } from '../src/client'
import type { ConfigNotification } from '../src/notify'
import { clientCredentials, clientPermissions, clients, type NewRoute, rateLimits, routes } from '../src/schema'
import { readConfigVersion } from '../src/snapshot'
import { apiKeyCredentialFixture, clientFixture, permissionFixture, rateLimitFixture, routeFixture } from './fixtures'
import { type ConfigListener, listenForConfig } from './listener'

let testDb: TestDatabase
let handle: DbHandle
let listener: ConfigListener
let lastVersion = 0

beforeAll(async () => {
  testDb = await createTestDatabase()
  handle = createDb(testDb.url, { max: 4 })
  listener = await listenForConfig(testDb.url)
})

afterAll(async () => {
  await listener?.close()
  await handle?.close()
  await testDb?.drop()
})

/** Runs a committed change and checks the one notification it produces, with a version above the last. */
async function expectOne(
  change: () => Promise<unknown>,
  expected: Omit<ConfigNotification, 'version'>,
): Promise<ConfigNotification> {
  await change()
  const got = await listener.next()
  expect(got).toEqual({ ...expected, version: expect.any(Number) })
  expect(got.version).toBeGreaterThan(lastVersion)
  lastVersion = got.version
  expect(await readConfigVersion(handle.db)).toBe(got.version)
  return got
}

/** A row's insert, update and delete, in that order: one notification each, naming the row and its client. */
async function expectInsertUpdateDelete(
  table: ConfigNotification['table'],
  id: string,
  clientId: string,
  changes: Record<'insert' | 'update' | 'delete', () => Promise<unknown>>,
): Promise<void> {
  for (const op of ['insert', 'update', 'delete'] as const) {
    await expectOne(changes[op], { table, op, id, clientId })
  }
}

describe('config change notifications', () => {
  it('announce insert, update and delete on each watched table, in version order', async () => {
    const { db } = handle
    const [client] = await db.insert(clients).values(clientFixture()).returning()
    const [route] = await db.insert(routes).values(routeFixture()).returning()
    if (client === undefined || route === undefined) throw new Error('insert returned nothing')
    const [c1, r1] = await listener.take(2)
    expect(c1).toMatchObject({ table: 'clients', op: 'insert', id: client.id, clientId: null })
    expect(r1).toMatchObject({ table: 'routes', op: 'insert', id: route.id, clientId: null })
    expect(r1?.version).toBeGreaterThan(c1?.version ?? Number.POSITIVE_INFINITY)
    lastVersion = r1?.version ?? 0

    await expectOne(() => db.update(routes).set({ serviceName: 'renamed' }).where(eq(routes.id, route.id)), {
      table: 'routes',
      op: 'update',
      id: route.id,
      clientId: null,
    })
    await expectOne(() => db.update(clients).set({ status: 'suspended' }).where(eq(clients.id, client.id)), {
      table: 'clients',
      op: 'update',
      id: client.id,
      clientId: null,
    })

    const credential = apiKeyCredentialFixture(client.id, { id: crypto.randomUUID() })
    const credentialId = credential.id ?? ''
    await expectInsertUpdateDelete('client_credentials', credentialId, client.id, {
      insert: () => db.insert(clientCredentials).values(credential),
      update: () =>
        db.update(clientCredentials).set({ expiresAt: new Date() }).where(eq(clientCredentials.id, credentialId)),
      delete: () => db.delete(clientCredentials).where(eq(clientCredentials.id, credentialId)),
    })

    const permission = permissionFixture(client.id, route.id, { id: crypto.randomUUID() })
    const permissionId = permission.id ?? ''
    await expectInsertUpdateDelete('client_permissions', permissionId, client.id, {
      insert: () => db.insert(clientPermissions).values(permission),
      update: () =>
        db
          .update(clientPermissions)
          .set({ allowedMethods: ['GET', 'POST'] })
          .where(eq(clientPermissions.id, permissionId)),
      delete: () => db.delete(clientPermissions).where(eq(clientPermissions.id, permissionId)),
    })

    // rate_limits is keyed by client: its id is the client id.
    await expectInsertUpdateDelete('rate_limits', client.id, client.id, {
      insert: () => db.insert(rateLimits).values(rateLimitFixture(client.id)),
      update: () => db.update(rateLimits).set({ requestsPerMinute: 60 }).where(eq(rateLimits.clientId, client.id)),
      delete: () => db.delete(rateLimits).where(eq(rateLimits.clientId, client.id)),
    })

    await expectOne(() => db.delete(routes).where(eq(routes.id, route.id)), {
      table: 'routes',
      op: 'delete',
      id: route.id,
      clientId: null,
    })
    await expectOne(() => db.delete(clients).where(eq(clients.id, client.id)), {
      table: 'clients',
      op: 'delete',
      id: client.id,
      clientId: null,
    })
    expect(listener.pending()).toEqual([])
  })

  it('announce nothing for a rolled-back transaction, and leave the version alone', async () => {
    const { db } = handle
    const before = await readConfigVersion(db)
    await expect(
      db.transaction(async (tx) => {
        const [client] = await tx.insert(clients).values(clientFixture()).returning()
        await tx.insert(routes).values(routeFixture())
        if (client !== undefined) await tx.insert(rateLimits).values(rateLimitFixture(client.id))
        throw new Error('abort')
      }),
    ).rejects.toThrow('abort')
    expect(await readConfigVersion(db)).toBe(before)

    // Notifications arrive in commit order, so if the rollback had produced any, they would come first.
    const [marker] = await db.insert(routes).values(routeFixture()).returning()
    const got = await listener.next()
    expect(got).toMatchObject({ table: 'routes', op: 'insert', id: marker?.id, version: before + 1 })
    lastVersion = got.version
  })

  it('number every row of a multi-row transaction, skipping what a savepoint rolled back', async () => {
    const { db } = handle
    const before = await readConfigVersion(db)
    const kept = await db.transaction(async (tx) => {
      const first = await tx.insert(routes).values([routeFixture(), routeFixture()]).returning()
      await tx
        .transaction(async (inner) => {
          await inner.insert(routes).values(routeFixture())
          throw new Error('undo the savepoint')
        })
        .catch(() => undefined)
      const last = await tx.insert(clients).values(clientFixture()).returning()
      return [...first, ...last].map((row) => row.id)
    })
    const got = await listener.take(3)
    expect(got.map((n) => n.id)).toEqual(kept)
    expect(got.map((n) => n.version)).toEqual([before + 1, before + 2, before + 3])
    expect(await readConfigVersion(db)).toBe(before + 3)
    expect(listener.pending()).toEqual([])
    lastVersion = before + 3
  })

  it('give versions in commit order: a second writer waits for the first to commit', async () => {
    const insertRoute =
      'INSERT INTO routes (route_pattern, domain, service_name, methods) VALUES ($1, $2, $3, $4) RETURNING id'
    const params = (r: NewRoute) => [r.routePattern, r.domain, r.serviceName, JSON.stringify(r.methods)]
    const first = await handle.pool.connect()
    const second = await handle.pool.connect()
    try {
      await first.query('BEGIN')
      const a = await first.query<{ id: string }>(insertRoute, params(routeFixture()))
      let secondDone = false
      const secondWrite = second.query<{ id: string }>(insertRoute, params(routeFixture())).then((res) => {
        secondDone = true
        return res
      })
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(secondDone).toBe(false) // blocked on the config_state row lock
      await first.query('COMMIT')
      const b = await secondWrite
      const [na, nb] = await listener.take(2)
      expect(na?.id).toBe(a.rows[0]?.id)
      expect(nb?.id).toBe(b.rows[0]?.id)
      expect(nb?.version).toBe((na?.version ?? 0) + 1)
      expect(await readConfigVersion(handle.db)).toBe(nb?.version)
    } finally {
      await first.query('ROLLBACK').catch(() => undefined)
      first.release()
      second.release()
    }
  })
})
