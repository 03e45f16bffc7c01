import { digestApiKey, parseApiKey } from '@gatekeeper/crypto'
import { clientCreatedWireSchema, clientWireSchema } from '@gatekeeper/models'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { adminAuditLog, clientCredentials, clients } from '../../src/schema'
import { actor, clientName, expectApiError, KEY_ORDER, keysOf, useAdminTestContext } from '../admin-support'

const ctx = useAdminTestContext()

const strictClient = clientWireSchema.strict()
const strictCreated = clientCreatedWireSchema.strict()

async function credentialRowsOf(clientId: string) {
  return ctx.handle.db.select().from(clientCredentials).where(eq(clientCredentials.clientId, clientId))
}

/** Every place a raw value could leak: the wire reads and the audit rows. */
async function expectNowhere(raw: string, clientId: string) {
  const reads = JSON.stringify([await ctx.ops.clients.get(clientId), await ctx.ops.clients.list()])
  expect(reads).not.toContain(raw)
  const audits = JSON.stringify(await ctx.handle.db.select().from(adminAuditLog))
  expect(audits).not.toContain(raw)
  const rows = JSON.stringify(await credentialRowsOf(clientId))
  expect(rows).not.toContain(raw)
}

describe('clients', () => {
  it('creates a client with both credentials, returned raw once, stored only digested and sealed', async () => {
    const who = actor()
    const name = clientName()
    const created = await ctx.ops.clients.create(who, { client_name: name, api_key: true, shared_secret: true })
    expect(strictCreated.parse(created)).toEqual(created)
    expect(keysOf(created)).toEqual(KEY_ORDER.clientCreated)
    expect(created).toMatchObject({ client_name: name, status: 'active', has_shared_secret: true, version: 1 })
    const apiKey = created.api_key ?? ''
    const secret = created.shared_secret ?? ''
    expect(parseApiKey(apiKey)).toMatchObject({ ok: true, format: 'gatekeeper' })
    expect(secret).toMatch(/^gks_/)
    expect(created.api_key_masked).toBe(`${apiKey.slice(0, 7)}\u2026${apiKey.slice(-4)}`)

    const keyRow = await ctx.currentCredentialRow(created.client_id, 'api_key')
    expect(keyRow).toMatchObject({
      apiKeyDigest: digestApiKey(apiKey),
      apiKeyPrefix: apiKey.slice(0, 7),
      apiKeyLast4: apiKey.slice(-4),
      secretSealed: null,
      legacy: false,
    })
    const secretRow = await ctx.currentCredentialRow(created.client_id, 'shared_secret')
    expect(secretRow?.apiKeyDigest).toBeNull()
    expect(ctx.sealer.unseal(secretRow?.secretSealed ?? '', created.client_id)).toEqual({
      ok: true,
      plaintext: secret,
    })
    await expectNowhere(apiKey, created.client_id)
    await expectNowhere(secret, created.client_id)

    const [audit] = await ctx.auditRows(created.client_id)
    const { api_key: _k, shared_secret: _s, ...wire } = created
    expect(audit).toMatchObject({ action: 'client.create', actor: who.actor, before: null, after: wire })
  })

  it('reads never include a raw credential and show the masked key', async () => {
    const created = await ctx.newClient()
    const { credentials, ...read } = await ctx.ops.clients.get(created.client_id)
    expect(strictClient.parse(read)).toEqual(read)
    expect(keysOf(read)).toEqual(KEY_ORDER.client)
    expect(credentials?.map((c) => c.kind)).toEqual(['api_key'])
    expect(read).not.toHaveProperty('api_key')
    expect(read).not.toHaveProperty('shared_secret')
    expect(read.api_key_masked).toBe(created.api_key_masked)
    expect(read.has_shared_secret).toBe(false)
    const list = await ctx.ops.clients.list()
    for (const item of list) {
      strictClient.parse(item)
      expect(keysOf(item)).toEqual(KEY_ORDER.client)
    }
    expect(list.find((c) => c.client_id === created.client_id)).toEqual(read)
  })

  it('a secret-only client has a null api_key_masked', async () => {
    const created = await ctx.newClient({ shared_secret: true })
    expect(created.api_key).toBeUndefined()
    expect(created.api_key_masked).toBeNull()
    expect(keysOf(created)).toEqual([...KEY_ORDER.client.slice(0, 6), 'shared_secret', ...KEY_ORDER.client.slice(6)])
    expect((await ctx.ops.clients.get(created.client_id)).api_key_masked).toBeNull()
  })

  it('validates create and update bodies', async () => {
    const err = await expectApiError(ctx.ops.clients.create(actor(), { client_name: 'x' }), 400, 'validation_error')
    expect(err.message).toMatch(/at least one credential/)
    const bad = await expectApiError(
      ctx.ops.clients.create(actor(), { client_name: '  ', status: 'paused', api_key: 'yes' }),
      400,
      'validation_error',
    )
    expect((bad.details ?? []).map((d) => d.path).sort()).toEqual(['api_key', 'client_name', 'status'])
    const created = await ctx.newClient()
    await expectApiError(ctx.ops.clients.update(actor(), created.client_id, {}), 400, 'validation_error')
    await expectApiError(
      ctx.ops.clients.update(actor(), created.client_id, { status: 'deleted' }),
      400,
      'validation_error',
    )
    await expectApiError(
      ctx.ops.clients.rotate(actor(), created.client_id, { credential: 'password' }),
      400,
      'validation_error',
    )
    await expectApiError(
      ctx.ops.clients.rotate(actor(), created.client_id, { credential: 'api_key', grace_seconds: -1 }),
      400,
      'validation_error',
    )
  })

  it('404s unknown clients', async () => {
    const missing = '00000000-0000-4000-8000-000000000001'
    await expectApiError(ctx.ops.clients.get(missing), 404, 'not_found')
    await expectApiError(ctx.ops.clients.update(actor(), missing, { status: 'suspended' }), 404)
    await expectApiError(ctx.ops.clients.rotate(actor(), missing, { credential: 'api_key' }), 404)
    await expectApiError(ctx.ops.clients.remove(actor(), missing), 404)
    await expectApiError(ctx.ops.clients.cascadePreview(missing), 404)
    await expectApiError(ctx.ops.clients.get('1; drop table clients'), 404)
  })

  it('updates name and status, bumps version, audits; a stale version is 412', async () => {
    const created = await ctx.newClient()
    const { api_key: _k, ...createdWire } = created
    const who = actor()
    const updated = await ctx.ops.clients.update(who, created.client_id, {
      client_name: 'Renamed',
      status: 'suspended',
      version: 1,
    })
    strictClient.parse(updated)
    expect(updated).toMatchObject({
      client_name: 'Renamed',
      status: 'suspended',
      version: 2,
      api_key_masked: created.api_key_masked,
    })
    const [audit] = await ctx.auditRows(created.client_id)
    expect(audit).toMatchObject({ action: 'client.update', actor: who.actor, before: createdWire, after: updated })

    await expectApiError(
      ctx.ops.clients.update(actor(), created.client_id, { status: 'revoked', version: 1 }),
      412,
      'precondition_failed',
    )
    expect((await ctx.ops.clients.get(created.client_id)).status).toBe('suspended')
  })

  it('keeps a revoked client revoked: no edit, by any path, makes it active or suspended again', async () => {
    const created = await ctx.newClient()
    await ctx.ops.clients.update(actor(), created.client_id, { status: 'revoked', version: 1 })
    for (const status of ['active', 'suspended'] as const) {
      await expectApiError(ctx.ops.clients.update(actor(), created.client_id, { status, version: 2 }), 409, 'conflict')
    }
    expect(await ctx.ops.clients.get(created.client_id)).toMatchObject({ status: 'revoked', version: 2 })
    // Other edits of the record (its name, for the history) still work, and so does restating revoked.
    const renamed = await ctx.ops.clients.update(actor(), created.client_id, { client_name: 'Gone', status: 'revoked' })
    expect(renamed).toMatchObject({ client_name: 'Gone', status: 'revoked' })
    // The rule lives in the database, so paths that write the table directly (a config apply, an import) obey it.
    await expect(
      ctx.handle.db.update(clients).set({ status: 'active' }).where(eq(clients.id, created.client_id)),
    ).rejects.toMatchObject({ cause: { code: '23514', constraint: 'clients_revoked_is_final' } })
  })

  it('lets exactly one of two concurrent client updates with the same version win', async () => {
    const created = await ctx.newClient()
    const results = await ctx.raceBehindConfigLock([
      () => ctx.ops.clients.update(actor(), created.client_id, { status: 'suspended', version: 1 }),
      () => ctx.ops.clients.update(actor(), created.client_id, { status: 'revoked', version: 1 }),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const rejected = results.find((r) => r.status === 'rejected')
    expect(rejected?.status === 'rejected' && rejected.reason).toMatchObject({ status: 412 })
  })

  it('rotates an API key with grace: the old one keeps working until expires_at', async () => {
    const created = await ctx.newClient()
    const oldKey = created.api_key ?? ''
    // 700 ms into a second: the overlap ends on a whole second (the one the answer names), never earlier than asked.
    const second = Math.floor(Date.now() / 1000) + 1
    ctx.clock.now = new Date(second * 1000 + 700)
    const who = actor()
    const rotated = await ctx.ops.clients.rotate(who, created.client_id, { credential: 'api_key', grace_seconds: 300 })
    const newKey = rotated.api_key ?? ''
    expect(parseApiKey(newKey).ok).toBe(true)
    expect(newKey).not.toBe(oldKey)
    expect(rotated.shared_secret).toBeUndefined()
    expect(rotated.previous_expires_at).toBe(second + 301)
    strictClient.parse(rotated.client)
    expect(rotated.client.api_key_masked).toBe(`${newKey.slice(0, 7)}\u2026${newKey.slice(-4)}`)
    expect(rotated.client.version).toBe(2)

    const rows = await credentialRowsOf(created.client_id)
    expect(rows).toHaveLength(2)
    const old = rows.find((r) => r.apiKeyDigest === digestApiKey(oldKey))
    const fresh = rows.find((r) => r.apiKeyDigest === digestApiKey(newKey))
    expect(old?.expiresAt?.getTime()).toBe((second + 301) * 1000)
    expect(fresh?.expiresAt).toBeNull()
    await expectNowhere(newKey, created.client_id)

    const [audit] = await ctx.auditRows(created.client_id)
    expect(audit).toMatchObject({ action: 'client.rotate_api_key', actor: who.actor, after: rotated.client })
    expect(JSON.stringify(audit)).not.toContain(newKey)

    // A later rotation purges credentials whose grace has ended.
    ctx.clock.now = new Date(ctx.clock.now.getTime() + 301_000)
    const again = await ctx.ops.clients.rotate(actor(), created.client_id, { credential: 'api_key', grace_seconds: 60 })
    const after = await credentialRowsOf(created.client_id)
    expect(after.map((r) => r.apiKeyDigest).sort()).toEqual(
      [digestApiKey(newKey), digestApiKey(again.api_key ?? '')].sort(),
    )
    ctx.clock.now = new Date()
  })

  it('rotates without grace: the old credential is gone at once', async () => {
    const created = await ctx.newClient({ shared_secret: true })
    const first = await ctx.ops.clients.rotate(actor(), created.client_id, {
      credential: 'shared_secret',
      grace_seconds: 600,
    })
    const rotated = await ctx.ops.clients.rotate(actor(), created.client_id, { credential: 'shared_secret' })
    expect(rotated.previous_expires_at).toBeNull()
    expect(rotated.api_key).toBeUndefined()
    const rows = await credentialRowsOf(created.client_id)
    // Both the current secret and the one still in its grace period are gone.
    expect(rows).toHaveLength(1)
    expect(rows[0]?.expiresAt).toBeNull()
    expect(ctx.sealer.unseal(rows[0]?.secretSealed ?? '', created.client_id)).toEqual({
      ok: true,
      plaintext: rotated.shared_secret,
    })
    expect(JSON.stringify(rows)).not.toContain(first.shared_secret ?? '--')
    const [audit] = await ctx.auditRows(created.client_id)
    expect(audit?.action).toBe('client.rotate_shared_secret')
  })

  it('rotating a kind the client lacks adds it', async () => {
    const created = await ctx.newClient({ shared_secret: true })
    const rotated = await ctx.ops.clients.rotate(actor(), created.client_id, {
      credential: 'api_key',
      grace_seconds: 60,
    })
    expect(rotated.previous_expires_at).toBeNull()
    expect(rotated.client.api_key_masked).not.toBeNull()
    expect(rotated.client.has_shared_secret).toBe(true)
    expect(await credentialRowsOf(created.client_id)).toHaveLength(2)
  })

  it('deletes a client and reports what cascaded', async () => {
    const created = await ctx.newClient({ api_key: true, shared_secret: true })
    await ctx.ops.clients.rotate(actor(), created.client_id, { credential: 'api_key', grace_seconds: 60 })
    const route = await ctx.newRoute()
    const permission = await ctx.ops.permissions.grant(actor(), {
      client_id: created.client_id,
      route_id: route.route_id,
      allowed_methods: ['GET'],
    })
    const limit = await ctx.ops.rateLimits.set(actor(), created.client_id, { requests_per_day: 10 })
    const { credentials: _credentials, ...before } = await ctx.ops.clients.get(created.client_id)
    expect(await ctx.ops.clients.cascadePreview(created.client_id)).toEqual({
      permissions: 1,
      credentials: 3,
      rate_limit: 1,
    })
    await expectApiError(
      ctx.ops.clients.remove(actor(), created.client_id, { expectedVersion: 1 }),
      412,
      'precondition_failed',
    )

    const who = actor()
    const removed = await ctx.ops.clients.remove(who, created.client_id)
    expect(removed).toEqual({ client: before, cascaded: { permissions: 1, credentials: 3, rate_limit: 1 } })
    await expectApiError(ctx.ops.clients.get(created.client_id), 404)
    expect(await credentialRowsOf(created.client_id)).toEqual([])
    const [audit] = await ctx.auditRows(created.client_id)
    expect(audit).toMatchObject({ action: 'client.delete', actor: who.actor, before, after: null })
    expect((await ctx.auditRows(permission.permission.permission_id))[0]).toMatchObject({
      action: 'permission.revoke',
      before: permission.permission,
    })
    expect((await ctx.auditRows(created.client_id)).find((a) => a.action === 'rate_limit.clear')).toMatchObject({
      entityType: 'rate_limit',
      before: limit,
    })
  })
})
