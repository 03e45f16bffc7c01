// The embedded mode `pnpm start` uses: PGlite served over the wire protocol. NOTIFY never crosses its socket,
// so the config-version poll (250 ms, as the launcher sets it) is what carries changes: still within 1 s.

import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createSealer, deriveKeyId } from '@gatekeeper/crypto'
import { createAdminOps } from '@gatekeeper/db/admin'
import { createDb, type DbHandle } from '@gatekeeper/db/client'
import { type EmbeddedPostgres, startEmbeddedPostgres } from '@gatekeeper/db/embedded'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ACTOR, API_KEY, bearer, eventually, original, type RunningAuthz, routeWithClient, runAuthz } from './harness'

let dataDir: string
let embedded: EmbeddedPostgres
let writer: DbHandle
let authz: RunningAuthz
const key = randomBytes(32)
const sealer = createSealer({ active: { id: deriveKeyId(key), key } })

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'authz-embedded-'))
  embedded = await startEmbeddedPostgres({ dataDir, port: 0 })
  writer = createDb(embedded.url, { max: 1, onError: () => undefined })
  authz = await runAuthz(
    { db: { url: embedded.url, name: 'postgres', drop: async () => undefined }, masterKey: key.toString('base64') },
    { CONFIG_POLL_INTERVAL_MS: '250' },
  )
}, 60_000)

afterAll(async () => {
  await authz?.server.close()
  await writer?.close()
  await embedded?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('embedded PostgreSQL (PGlite over its socket)', () => {
  it('a change made through the socket reaches decisions within 1 s by the version poll', async () => {
    const admin = createAdminOps({ db: writer.db, sealer })
    const { host, client } = await routeWithClient(
      admin,
      { route_pattern: '/e/*', service_name: 'e', methods: { GET: API_KEY } },
      { client_name: 'embedded', api_key: true, shared_secret: true },
    )
    const headers = original('GET', host, '/e/1', bearer(client))
    const status = () => authz.decision(headers)
    const first = await eventually(async () => (await status()) === '200 authenticated', 1000)
    await admin.clients.update(ACTOR, client.client_id, { status: 'suspended' })
    const second = await eventually(async () => (await status()) === '403 client_suspended', 1000)
    console.info(`embedded: change visible after ${Math.round(first)} ms and ${Math.round(second)} ms`)
    // The shared secret was unsealed from the embedded database too.
    expect(authz.server.manager.current()?.hmacSecrets(client.client_id)).toHaveLength(1)
    expect(authz.server.manager.health()).toMatchObject({ postgres: 'up' })
  })
})
