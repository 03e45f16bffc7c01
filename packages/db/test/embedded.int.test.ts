import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb } from '../src/client'
import { EMBEDDED_INFO_FILE, type EmbeddedPostgres, readEmbeddedInfo, startEmbeddedPostgres } from '../src/embedded'
import { clientPermissions, clients, routes } from '../src/schema'
import { loadSnapshot, readConfigVersion } from '../src/snapshot'
import { clientFixture, permissionFixture, routeFixture } from './fixtures'

let dataDir: string

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'gk-embedded-'))
})

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

describe('startEmbeddedPostgres', () => {
  let embedded: EmbeddedPostgres | undefined
  afterAll(async () => {
    await embedded?.close()
  })

  it('serves a migrated, persistent database to pg clients', { timeout: 90_000 }, async () => {
    embedded = await startEmbeddedPostgres({ dataDir, port: 0 })
    const { url } = embedded
    expect(url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/)
    expect(await readEmbeddedInfo(dataDir)).toEqual({ url, pid: process.pid, startedAt: expect.any(String) })
    await expect(startEmbeddedPostgres({ dataDir, port: 0 })).rejects.toThrow(
      /already running \(pid \d+, .*\): stop the `gatekeeper start` that runs it \(Ctrl-C in its terminal\), or give this one another data folder \(GATEKEEPER_DATA_DIR or --data-dir\)$/,
    )

    const handle = createDb(url, { max: 4 })
    try {
      const before = await readConfigVersion(handle.db)
      // Several pooled connections at once (they share one PGlite session, queued by the server).
      const [[route], [client]] = await Promise.all([
        handle.db
          .insert(routes)
          .values(routeFixture({ routePattern: '/persisted/*' }))
          .returning(),
        handle.db.insert(clients).values(clientFixture()).returning(),
      ])
      if (route === undefined || client === undefined) throw new Error('insert returned nothing')
      await handle.db.transaction(async (tx) => {
        await tx
          .insert(clientPermissions)
          .values(permissionFixture(client.id, route.id, { allowedMethods: ['GET', 'POST'] }))
      })
      const [readBack] = await handle.db.select().from(routes).where(eq(routes.id, route.id))
      expect(readBack).toEqual(route)

      // No NOTIFY reaches socket clients, but the version the triggers keep does move.
      expect(await readConfigVersion(handle.db)).toBe(before + 3)

      const [viaSocket, inProcess] = await Promise.all([loadSnapshot(handle.pool), loadSnapshot(embedded.pglite)])
      expect(viaSocket.version).toBe(before + 3)
      expect(inProcess).toEqual({ ...viaSocket, loadedAt: expect.any(Date) })
      expect(viaSocket.permissions).toEqual([
        expect.objectContaining({ clientId: client.id, routeId: route.id, allowedMethods: ['GET', 'POST'] }),
      ])
    } finally {
      await handle.close()
    }

    await embedded.close()
    embedded = undefined
    expect(await readEmbeddedInfo(dataDir)).toBeNull()
    await expect(readFile(join(dataDir, EMBEDDED_INFO_FILE))).rejects.toThrow()
  })

  it('reopens the same data dir with the data still there', { timeout: 60_000 }, async () => {
    // A stale file from a crashed run (its pid is gone) does not block a restart.
    await writeFile(
      join(dataDir, EMBEDDED_INFO_FILE),
      JSON.stringify({ url: 'postgres://x', pid: 2 ** 22 + 12345, startedAt: '' }),
    )
    expect(await readEmbeddedInfo(dataDir)).toBeNull()

    embedded = await startEmbeddedPostgres({ dataDir, port: 0 })
    const handle = createDb(embedded.url, { max: 2 })
    try {
      const rows = await handle.db.select().from(routes).where(eq(routes.routePattern, '/persisted/*'))
      expect(rows).toHaveLength(1)
      expect(await readConfigVersion(handle.pool)).toBeGreaterThanOrEqual(3)
    } finally {
      await handle.close()
    }
  })
})
