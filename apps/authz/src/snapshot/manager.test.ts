import { randomBytes, randomUUID } from 'node:crypto'
import { createSealer, digestApiKey, generateApiKey } from '@gatekeeper/crypto'
import type { WatchedRow } from '@gatekeeper/db'
import { afterEach, describe, expect, it } from 'vitest'
import { FakeConfigStore } from '../../test/support/fake-store'
import { SnapshotManager } from './manager'

const sealer = createSealer({ active: { id: 'test', key: randomBytes(32) } })
const managers: SnapshotManager[] = []

afterEach(async () => {
  for (const m of managers.splice(0)) await m.stop()
})

function route(over: Partial<WatchedRow['routes']> = {}): WatchedRow['routes'] {
  return {
    id: randomUUID(),
    routePattern: '/api/*',
    domain: 'api.example.com',
    serviceName: 'api',
    methods: { GET: { auth_required: true, auth_type: 'api_key' } },
    version: 1,
    metadataHeader: null,
    ...over,
  }
}

function client(over: Partial<WatchedRow['clients']> = {}): WatchedRow['clients'] {
  return {
    id: randomUUID(),
    clientName: 'c',
    status: 'active',
    version: 1,
    expiresAt: null,
    ipAllowlist: null,
    metadata: null,
    ...over,
  }
}

function apiKeyRow(clientId: string, key = generateApiKey()): WatchedRow['client_credentials'] {
  return {
    id: randomUUID(),
    clientId,
    kind: 'api_key',
    apiKeyDigest: digestApiKey(key),
    apiKeyPrefix: 'gk',
    apiKeyLast4: 'abcd',
    secretSealed: null,
    secretKeyId: null,
    legacy: false,
    expiresAt: null,
    validUntil: null,
    ipAllowlist: null,
  }
}

function secretRow(clientId: string, sealed: string): WatchedRow['client_credentials'] {
  return {
    ...apiKeyRow(clientId),
    kind: 'shared_secret',
    apiKeyDigest: null,
    secretSealed: sealed,
    secretKeyId: 'test',
  }
}

function permission(clientId: string, routeId: string, methods: WatchedRow['client_permissions']['allowedMethods']) {
  return { id: randomUUID(), clientId, routeId, allowedMethods: methods, version: 1 }
}

// Generous: a waited-for condition, never a timing claim; a loaded CI machine can take seconds to get there.
async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 5))
  }
}

async function started(store: FakeConfigStore, pollIntervalMs = 60_000) {
  const events: string[] = []
  const skipped: string[] = []
  const manager = new SnapshotManager({
    store,
    sealer,
    pollIntervalMs,
    backoff: { baseMs: 5, capMs: 20 },
    events: {
      reloaded: (i) => events.push(`reload:${i.trigger}`),
      reloadFailed: (i) => events.push(`reloadFailed:${i.trigger}`),
      notification: (i) => events.push(`notification:${i.result}`),
      credentialSkipped: (i) => skipped.push(i.reason),
      listener: (i) => events.push(i.up ? 'listener:up' : 'listener:down'),
    },
  })
  managers.push(manager)
  await manager.start()
  await manager.idle()
  return { manager, events, skipped }
}

describe('SnapshotManager', () => {
  it('loads everything at start and applies later changes one row at a time', async () => {
    const store = new FakeConfigStore()
    const r = route()
    const c = client()
    const key = generateApiKey()
    store.change('routes', r)
    store.change('clients', c)
    store.change('client_credentials', apiKeyRow(c.id, key))
    const { manager } = await started(store)
    expect(manager.health()).toMatchObject({ loaded: true, version: 3, postgres: 'up' })
    const state = manager.current()
    expect(state?.apiKey(digestApiKey(key))?.clientId).toBe(c.id)

    store.change('client_permissions', permission(c.id, r.id, ['GET']))
    store.change('clients', { ...c, status: 'suspended' })
    await manager.idle()
    expect(manager.current()).toBe(state) // same object: incremental, no reload
    expect(state?.allowedMethods(c.id, r.id)?.has('GET')).toBe(true)
    expect(state?.client(c.id)?.status).toBe('suspended')
    expect(store.loads).toBe(1)
    expect(store.rowReads.map((x) => x.table)).toEqual(['client_permissions', 'clients'])
    expect(manager.health().version).toBe(5)

    store.change('routes', { delete: r.id })
    await manager.idle()
    expect(state?.routes.match('api.example.com', '/api/x')).toBeUndefined()
  })

  it('is not ready until the first load succeeds, retrying with backoff meanwhile', async () => {
    const store = new FakeConfigStore()
    store.down = true
    const manager = new SnapshotManager({ store, sealer, pollIntervalMs: 60_000, backoff: { baseMs: 5, capMs: 20 } })
    managers.push(manager)
    await manager.start()
    expect(manager.current()).toBeUndefined()
    expect(manager.health()).toMatchObject({ loaded: false, version: null, postgres: 'down' })
    store.change('routes', route(), { silent: true })
    store.down = false
    expect(await manager.ready(2000)).toBe(true)
    expect(manager.health()).toMatchObject({ loaded: true, version: 1 })
    await until(() => manager.health().postgres === 'up')
  })

  it('a gap in versions means a full reload into a NEW state', async () => {
    const store = new FakeConfigStore()
    const { manager, events } = await started(store)
    const before = manager.current()
    store.change('routes', route(), { silent: true }) // missed
    store.change('routes', route()) // version 2 arrives, 1 never did
    await manager.idle()
    expect(events).toContain('notification:gap')
    expect(events.filter((e) => e.startsWith('reload:'))).toEqual(['reload:start', 'reload:gap'])
    expect(manager.current()).not.toBe(before)
    expect(manager.current()?.stats().routes).toBe(2)
    expect(manager.health().version).toBe(2)
  })

  it('a batch (a file applied: many rows, one version, one notification) is taken in with one reload', async () => {
    const store = new FakeConfigStore()
    const { manager, events } = await started(store)
    const before = manager.current()
    const c = client()
    const r = route()
    store.change('routes', r, { silent: true })
    store.change('clients', c, { silent: true })
    store.change('client_permissions', permission(c.id, r.id, ['GET']), { silent: true })
    store.version = 1 // the batch trigger: every row of the transaction under one version
    store.notify(JSON.stringify({ table: '*', op: 'batch', id: randomUUID(), client_id: null, version: 1 }))
    await manager.idle()
    expect(events).toContain('notification:batch')
    expect(events.filter((e) => e.startsWith('reload:'))).toEqual(['reload:start', 'reload:batch'])
    expect(manager.current()).not.toBe(before)
    expect(manager.current()?.allowedMethods(c.id, r.id)?.has('GET')).toBe(true)
    expect(manager.health().version).toBe(1)
    expect(store.rowReads).toEqual([])
  })

  it('an unreadable payload or a failed row read also ends in a full reload', async () => {
    const store = new FakeConfigStore()
    const { manager, events } = await started(store)
    store.notify('{"table":"nope"}')
    await manager.idle()
    expect(events).toContain('reload:gap')

    const r = route()
    store.rowReads = []
    const original = store.loadChangedRow.bind(store)
    let failNext = true
    store.loadChangedRow = async (table, id) => {
      if (failNext) {
        failNext = false
        throw new Error('read failed')
      }
      return original(table, id)
    }
    store.change('routes', r)
    await manager.idle()
    expect(events).toContain('notification:failed')
    expect(events.at(-1)).toBe('reload:error')
    expect(manager.current()?.routes.match('api.example.com', '/api/1')?.id).toBe(r.id)
  })

  it('requests see the old state during a reload and the complete new one after it', async () => {
    const store = new FakeConfigStore()
    const { manager } = await started(store)
    const old = manager.current()
    let release: () => void = () => undefined
    store.holdSnapshot = new Promise<void>((r) => {
      release = r
    })
    for (let i = 0; i < 50; i++) store.change('routes', route({ routePattern: `/r${i}/*` }), { silent: true })
    store.notify(JSON.stringify({ table: 'routes', op: 'insert', id: randomUUID(), client_id: null, version: 50 }))
    await until(() => store.loads === 2)
    expect(manager.current()).toBe(old)
    expect(old?.stats().routes).toBe(0)
    store.holdSnapshot = undefined
    release()
    await manager.idle()
    expect(manager.current()).not.toBe(old)
    expect(manager.current()?.stats().routes).toBe(50)
    expect(old?.stats().routes).toBe(0) // the old state was never touched
  })

  it('notifications that arrive during a load are applied after it, skipping those it already covers', async () => {
    const store = new FakeConfigStore()
    const { manager, events } = await started(store)
    let release: () => void = () => undefined
    store.holdSnapshot = new Promise<void>((r) => {
      release = r
    })
    store.change('routes', route(), { silent: true }) // v1: only a reload will see it
    store.notify('garbage') // forces the reload (which will load v1)
    await until(() => store.loads === 2)
    const late = route({ routePattern: '/late/*' })
    // v1 is covered by the snapshot being loaded; v2 commits after it started.
    store.notify(JSON.stringify({ table: 'routes', op: 'insert', id: randomUUID(), client_id: null, version: 1 }))
    store.change('routes', late)
    store.holdSnapshot = undefined
    release()
    await manager.idle()
    expect(manager.health().version).toBe(2)
    expect(manager.current()?.routes.match('api.example.com', '/late/x')?.id).toBe(late.id)
    expect(store.loads).toBe(2)
    expect(events.filter((e) => e === 'notification:skipped')).toHaveLength(1)
  })

  it('after the LISTEN connection dies, reconnects and catches up on what was committed meanwhile', async () => {
    const store = new FakeConfigStore()
    const c = client()
    store.change('clients', c)
    const { manager, events } = await started(store)
    store.down = true
    store.kill()
    expect(manager.health().postgres).toBe('down')
    expect(manager.current()?.client(c.id)?.status).toBe('active') // still deciding
    store.down = false
    store.change('clients', { ...c, status: 'revoked' }, { silent: true }) // nobody is listening
    await until(() => store.listening && manager.health().version === 2)
    await manager.idle()
    expect(manager.current()?.client(c.id)?.status).toBe('revoked')
    expect(events).toContain('listener:down')
    expect(events.at(-1)).toBe('reload:behind')
    expect(manager.health().postgres).toBe('up')
  })

  it('a notification that trails its commit past a version check is waited for, not answered with a reload', async () => {
    const store = new FakeConfigStore()
    const { manager, events } = await started(store, 20)
    const r = route()
    // Committed and visible, but its NOTIFY not delivered yet (PostgreSQL signals listeners after the commit).
    store.change('routes', r, { silent: true })
    const reads = store.versionReads
    await until(() => store.versionReads > reads + 3) // several polls inside the grace
    store.notify(JSON.stringify({ table: 'routes', op: 'insert', id: r.id, client_id: null, version: store.version }))
    await until(() => manager.health().version === store.version)
    await new Promise((resolve) => setTimeout(resolve, 400)) // past the recheck
    await manager.idle()
    expect(events.filter((e) => e.startsWith('reload:'))).toEqual(['reload:start'])
    expect(events).toContain('notification:applied')
  })

  it('a change that is never announced is caught by the recheck: one full reload', async () => {
    const store = new FakeConfigStore()
    const { manager, events } = await started(store, 20)
    store.change('routes', route(), { silent: true })
    await until(() => manager.health().version === store.version)
    expect(events.filter((e) => e.startsWith('reload:'))).toEqual(['reload:start', 'reload:behind'])
  })

  it('a reconnect with nothing missed does not reload', async () => {
    const store = new FakeConfigStore()
    const { manager } = await started(store)
    store.kill()
    await until(() => store.listening)
    await manager.idle()
    await new Promise((r) => setTimeout(r, 20))
    await manager.idle()
    expect(store.loads).toBe(1)
    expect(store.listens).toBe(2)
  })

  it('the periodic version check finds changes that were never notified (the embedded mode)', async () => {
    const store = new FakeConfigStore()
    const { manager } = await started(store, 20)
    const r = route()
    store.change('routes', r, { silent: true })
    await until(() => manager.health().version === 1)
    expect(manager.current()?.routes.match('api.example.com', '/api/1')?.id).toBe(r.id)
  })

  it('a secret that does not unseal is skipped and counted; everything else loads', async () => {
    const store = new FakeConfigStore()
    const good = client()
    const bad = client()
    store.change('clients', good)
    store.change('clients', bad)
    store.change('client_credentials', secretRow(good.id, sealer.seal('gks_good', good.id)))
    // Sealed for another client: the AAD does not match.
    store.change('client_credentials', secretRow(bad.id, sealer.seal('gks_bad', good.id)))
    const { manager, skipped } = await started(store)
    expect(manager.current()?.hmacSecrets(good.id)?.[0]?.secret).toBe('gks_good')
    expect(manager.current()?.hmacSecrets(bad.id)).toBeUndefined()
    expect(skipped).toEqual(['unseal_auth_failed'])
    expect(manager.health().skippedCredentials).toBe(1)

    // An update that breaks a working secret removes it rather than keeping the old plaintext.
    const goodRow = [...store.rows.client_credentials.values()].find((x) => x.clientId === good.id)
    if (goodRow === undefined) throw new Error('setup')
    store.change('client_credentials', { ...goodRow, secretSealed: 'v1.test.garbage.garbage.garbage' })
    await manager.idle()
    expect(manager.current()?.hmacSecrets(good.id)).toBeUndefined()
    expect(manager.health().skippedCredentials).toBe(2)
  })

  it('an unexpected error while applying a change does not escape: a full reload follows', async () => {
    const store = new FakeConfigStore()
    const { manager, events } = await started(store)
    const original = store.loadChangedRow.bind(store)
    store.loadChangedRow = async (table, id) => {
      const row = await original(table, id)
      // A row the engine chokes on (a bug elsewhere), not a database error.
      return row === null ? null : ({ ...row, methods: null } as unknown as typeof row)
    }
    store.change('routes', route())
    await until(() => events.includes('reload:retry'))
    expect(events).toContain('reloadFailed:error')
    expect(manager.current()?.stats().routes).toBe(1)
  })

  it('deciding never touches the database: current() is a plain read, also while Postgres is down', async () => {
    const store = new FakeConfigStore()
    store.change('routes', route())
    const { manager } = await started(store)
    store.down = true
    store.kill()
    const before = { loads: store.loads, reads: store.rowReads.length, listens: store.listens }
    for (let i = 0; i < 1000; i++) expect(manager.current()?.stats().routes).toBe(1)
    expect({ loads: store.loads, reads: store.rowReads.length, listens: store.listens }).toEqual(before)
  })
})
