import { clientDetailWireSchema, credentialWireSchema } from '@gatekeeper/models'
import { eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { clientCredentials, clients, clientUsage } from '../../src/schema'
import { readConfigVersion } from '../../src/snapshot'
import { pruneUsage, writeLastUsed, writeUsage } from '../../src/usage'
import { actor, clientName, expectApiError, KEY_ORDER, keysOf, routeBody, useAdminTestContext } from '../admin-support'

// The key lifecycle on the admin side: the client detail's credentials, a credential's own expiry and IP
// allowlist, client metadata, the unused-for filter, and the usage read over what authz writes.

const ctx = useAdminTestContext()

describe('client detail credentials', () => {
  it('lists live credentials, current first, with no secret material; a rotated key shows as previous', async () => {
    const created = await ctx.newClient({ api_key: true, shared_secret: true })
    await ctx.ops.clients.rotate(actor(), created.client_id, { credential: 'api_key', grace_seconds: 3600 })
    const detail = await ctx.ops.clients.get(created.client_id)
    expect(clientDetailWireSchema.strict().parse(detail)).toEqual(detail)
    expect(keysOf(detail)).toEqual([...KEY_ORDER.client, 'credentials'])
    const list = detail.credentials ?? []
    for (const c of list) {
      expect(keysOf(c)).toEqual(KEY_ORDER.credential)
      credentialWireSchema.strict().parse(c)
    }
    expect(list.map((c) => [c.kind, c.state])).toEqual([
      ['api_key', 'current'],
      ['shared_secret', 'current'],
      ['api_key', 'previous'],
    ])
    expect(list[0]?.prefix).toMatch(/^gk_/)
    expect(list[1]?.prefix).toBeNull()
    expect(JSON.stringify(detail)).not.toMatch(/gks_|digest|sealed/)
    expect(detail).toMatchObject({ metadata: null, last_used_at: null })

    // Past its grace the previous key is gone from the list.
    ctx.clock.now = new Date(Date.now() + 2 * 3600_000)
    try {
      const later = await ctx.ops.clients.get(created.client_id)
      expect(later.credentials?.map((c) => c.state)).toEqual(['current', 'current'])
    } finally {
      ctx.clock.now = new Date()
    }
  })

  it('last_used_at: per credential from authz writes, the client shows the latest; only forward', async () => {
    const created = await ctx.newClient({ api_key: true, shared_secret: true })
    const [key, secret] = (await ctx.ops.clients.get(created.client_id)).credentials ?? []
    const version = await readConfigVersion(ctx.handle.db)
    const t = Date.UTC(2026, 5, 1, 12, 0, 0)
    await writeLastUsed(ctx.handle.db, [
      { credentialId: key?.credential_id ?? '', atMs: t },
      { credentialId: secret?.credential_id ?? '', atMs: t + 5000 },
      { credentialId: '00000000-0000-4000-8000-000000000000', atMs: t }, // deleted meanwhile: skipped
    ])
    await writeLastUsed(ctx.handle.db, [{ credentialId: key?.credential_id ?? '', atMs: t - 60_000 }]) // older: ignored
    const detail = await ctx.ops.clients.get(created.client_id)
    expect(detail.credentials?.map((c) => c.last_used_at)).toEqual([t / 1000, t / 1000 + 5])
    expect(detail.last_used_at).toBe(t / 1000 + 5)
    // Not a config change: no version bump (every authz replica would re-read the rows otherwise).
    expect(await readConfigVersion(ctx.handle.db)).toBe(version)
  })
})

describe('credential update', () => {
  it('sets and clears one credential’s expiry and IP allowlist, audited, bumping the client version', async () => {
    const who = actor()
    const created = await ctx.ops.clients.create(who, { client_name: clientName(), api_key: true })
    const id = (await ctx.ops.clients.get(created.client_id)).credentials?.[0]?.credential_id ?? ''
    const version = await readConfigVersion(ctx.handle.db)
    const at = Math.floor(Date.now() / 1000) + 86_400
    const updated = await ctx.ops.clients.updateCredential(who, created.client_id, id, {
      expires_at: at,
      ip_allowlist: ['10.0.0.0/8', '2001:db8::/32'],
    })
    expect(updated).toMatchObject({ credential_id: id, expires_at: at, ip_allowlist: ['10.0.0.0/8', '2001:db8::/32'] })
    expect(await readConfigVersion(ctx.handle.db)).toBeGreaterThan(version) // authz hears of it
    const client = await ctx.ops.clients.get(created.client_id)
    expect(client).toMatchObject({ version: 2, api_key_expires_at: at })
    const [audit] = await ctx.auditRows(created.client_id)
    expect(audit).toMatchObject({ action: 'client.update_credential', actor: who.actor, after: updated })

    const cleared = await ctx.ops.clients.updateCredential(who, created.client_id, id, {
      expires_at: null,
      ip_allowlist: null,
    })
    expect(cleared).toMatchObject({ expires_at: null, ip_allowlist: null })
  })

  it('refuses bad input with 400 and unknown or foreign credentials with 404', async () => {
    const a = await ctx.newClient()
    const b = await ctx.newClient()
    const aId = (await ctx.ops.clients.get(a.client_id)).credentials?.[0]?.credential_id ?? ''
    await expectApiError(ctx.ops.clients.updateCredential(actor(), a.client_id, aId, {}), 400)
    await expectApiError(ctx.ops.clients.updateCredential(actor(), a.client_id, aId, { ip_allowlist: [] }), 400)
    await expectApiError(
      ctx.ops.clients.updateCredential(actor(), a.client_id, aId, { ip_allowlist: ['10.0.0.0/33'] }),
      400,
    )
    await expectApiError(ctx.ops.clients.updateCredential(actor(), a.client_id, aId, { expires_at: -1 }), 400)
    await expectApiError(ctx.ops.clients.updateCredential(actor(), b.client_id, aId, { expires_at: null }), 404)
    await expectApiError(ctx.ops.clients.updateCredential(actor(), a.client_id, 'nope', { expires_at: null }), 404)
  })
})

describe('metadata', () => {
  it('is set on create, replaced and cleared by update, and returned by list and detail', async () => {
    const created = await ctx.ops.clients.create(actor(), {
      client_name: clientName(),
      api_key: true,
      metadata: { plan: 'gold', limits: { seats: 5 } },
    })
    expect(created.metadata).toEqual({ plan: 'gold', limits: { seats: 5 } })
    const updated = await ctx.ops.clients.update(actor(), created.client_id, { metadata: { plan: 'silver' } })
    expect(updated.metadata).toEqual({ plan: 'silver' })
    expect((await ctx.ops.clients.list()).find((c) => c.client_id === created.client_id)?.metadata).toEqual({
      plan: 'silver',
    })
    expect((await ctx.ops.clients.update(actor(), created.client_id, { metadata: null })).metadata).toBeNull()
  })

  it('refuses what is not a small object, with a message that says why', async () => {
    const body = (metadata: unknown) => ({ client_name: clientName(), api_key: true, metadata })
    const tooManyKeys = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]))
    const tooBig = { blob: 'x'.repeat(4100) }
    for (const [metadata, message] of [
      [['a'], /JSON object/],
      ['text', /JSON object/],
      [tooManyKeys, /51 keys; at most 50/],
      [tooBig, /at most 4096/],
      [{ nested: { api_key: 'x' } }, /must not hold credentials/],
    ] as const) {
      const err = await expectApiError(ctx.ops.clients.create(actor(), body(metadata)), 400)
      expect(err.message).toMatch(message)
    }
    const fits = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]))
    await expect(ctx.ops.clients.create(actor(), body(fits))).resolves.toMatchObject({ metadata: fits })
  })

  it('a route takes a metadata header name; reserved or malformed names are refused', async () => {
    const route = await ctx.ops.routes.create(actor(), routeBody({ metadata_header: 'X-Client-Metadata' }))
    expect(route.metadata_header).toBe('X-Client-Metadata')
    expect((await ctx.ops.routes.update(actor(), route.route_id, { metadata_header: null })).metadata_header).toBeNull()
    for (const bad of ['X-Auth-Client', 'X-Request-Id', 'Client-Metadata', 'X-bad header', `X-${'a'.repeat(70)}`]) {
      await expectApiError(ctx.ops.routes.create(actor(), routeBody({ metadata_header: bad })), 400)
    }
  })
})

describe('unused clients', () => {
  it('unused_for lists clients with no use since the cutoff; a never-used one only if created before it', async () => {
    const old = await ctx.newClient()
    const oldUsed = await ctx.newClient()
    const recentUse = await ctx.newClient()
    const fresh = await ctx.newClient()
    const day = 86_400_000
    const backdate = (id: string, ms: number) =>
      ctx.handle.db
        .update(clients)
        .set({ createdAt: new Date(Date.now() - ms) })
        .where(eq(clients.id, id))
    await backdate(old.client_id, 200 * day)
    await backdate(oldUsed.client_id, 200 * day)
    await backdate(recentUse.client_id, 200 * day)
    const keyOf = async (id: string) => (await ctx.ops.clients.get(id)).credentials?.[0]?.credential_id ?? ''
    await writeLastUsed(ctx.handle.db, [
      { credentialId: await keyOf(oldUsed.client_id), atMs: Date.now() - 120 * day },
      { credentialId: await keyOf(recentUse.client_id), atMs: Date.now() - 10 * day },
    ])
    const ids = (await ctx.ops.clients.list({ unused_for: '90d' })).map((c) => c.client_id)
    expect(ids).toContain(old.client_id)
    expect(ids).toContain(oldUsed.client_id)
    expect(ids).not.toContain(recentUse.client_id)
    expect(ids).not.toContain(fresh.client_id)
    const hours = (await ctx.ops.clients.list({ unused_for: '2160h' })).map((c) => c.client_id)
    expect(hours.sort()).toEqual(ids.sort())
    await expectApiError(ctx.ops.clients.list({ unused_for: 'soon' }), 400)
  })

  it('a rotation that removes a used credential keeps its last use: the client is neither shown unused nor never used', async () => {
    const day = 86_400_000
    ctx.clock.now = new Date()
    const rotated = await ctx.newClient({ api_key: true, shared_secret: true })
    await ctx.handle.db
      .update(clients)
      .set({ createdAt: new Date(Date.now() - 200 * day) })
      .where(eq(clients.id, rotated.client_id))
    const before = (await ctx.ops.clients.get(rotated.client_id)).credentials ?? []
    const usedAtMs = Date.now() - day
    const key = before.find((c) => c.kind === 'api_key')?.credential_id ?? ''
    await writeLastUsed(ctx.handle.db, [{ credentialId: key, atMs: usedAtMs }])
    // Without grace the used key is deleted at once; a later rotation purges one whose grace ended.
    await ctx.ops.clients.rotate(actor(), rotated.client_id, { credential: 'api_key', grace_seconds: 0 })
    const detail = await ctx.ops.clients.get(rotated.client_id)
    expect(detail.last_used_at).toBe(Math.floor(usedAtMs / 1000))
    expect(detail.credentials?.every((c) => c.last_used_at === null)).toBe(true)
    const unused = async () => (await ctx.ops.clients.list({ unused_for: '90d' })).map((c) => c.client_id)
    expect(await unused()).not.toContain(rotated.client_id)

    const secret = before.find((c) => c.kind === 'shared_secret')?.credential_id ?? ''
    await writeLastUsed(ctx.handle.db, [{ credentialId: secret, atMs: usedAtMs + 1000 }])
    await ctx.ops.clients.rotate(actor(), rotated.client_id, { credential: 'shared_secret', grace_seconds: 60 })
    ctx.clock.now = new Date(Date.now() + 120_000)
    try {
      // The secret used is past its grace: this rotation purges it, and retires the current one with a grace.
      await ctx.ops.clients.rotate(actor(), rotated.client_id, { credential: 'shared_secret', grace_seconds: 60 })
      expect((await ctx.ops.clients.get(rotated.client_id)).last_used_at).toBe(Math.floor(usedAtMs / 1000) + 1)
    } finally {
      ctx.clock.now = new Date()
    }
  })
})

describe('usage', () => {
  it('sums additive writes into zero-filled buckets, refusals by reason; prune drops old hours and deleted clients', async () => {
    const created = await ctx.newClient()
    const id = created.client_id
    const hour = Math.floor(Date.now() / 3_600_000) * 3600
    const write = (h: number, outcome: 'allowed' | 'refused' | 'rate_limited', n: number, reason = '') =>
      writeUsage(ctx.handle.db, [{ clientId: id, hour: h, outcome, reason, n }])
    await write(hour, 'allowed', 3)
    await write(hour, 'allowed', 4) // another replica
    await write(hour, 'refused', 2, 'no_permission')
    await write(hour - 3600, 'rate_limited', 5)
    await write(hour - 3600, 'refused', 1, 'ip_not_allowed')
    await write(hour - 25 * 3600, 'allowed', 100) // outside 24h, inside 30d
    const day = await ctx.ops.clients.usage(id, { window: '24h' })
    expect(day.buckets).toHaveLength(24)
    expect(day.buckets.at(-1)).toEqual({
      start: hour,
      allowed: 7,
      refused: 2,
      rate_limited: 0,
      refused_by_reason: { no_permission: 2 },
    })
    expect(day.buckets.at(-2)).toEqual({
      start: hour - 3600,
      allowed: 0,
      refused: 1,
      rate_limited: 5,
      refused_by_reason: { ip_not_allowed: 1 },
    })
    expect(day.totals).toEqual({ allowed: 7, refused: 3, rate_limited: 5 })
    const month = await ctx.ops.clients.usage(id, { window: '30d' })
    expect(month).toMatchObject({ window: '30d', bucket_seconds: 86_400, totals: { allowed: 107 } })
    expect(month.buckets).toHaveLength(30)
    expect(month.buckets.at(-1)?.start).toBe(Math.floor(Date.now() / 86_400_000) * 86_400)
    await expectApiError(ctx.ops.clients.usage(id, { window: '7d' }), 400)
    await expectApiError(ctx.ops.clients.usage('00000000-0000-4000-8000-000000000000'), 404)

    await write(hour - 40 * 86_400, 'allowed', 9)
    const gone = await ctx.newClient()
    await writeUsage(ctx.handle.db, [{ clientId: gone.client_id, hour, outcome: 'allowed', reason: '', n: 1 }])
    await ctx.ops.clients.remove(actor(), gone.client_id)
    expect(await pruneUsage(ctx.handle.db, 35)).toBe(2)
    const left = await ctx.handle.db
      .select({ n: sql<number>`sum(${clientUsage.n})`.mapWith(Number) })
      .from(clientUsage)
      .where(eq(clientUsage.clientId, id))
    expect(left[0]?.n).toBe(115)
  })
})

describe('rotation', () => {
  it('the new credential keeps the current one’s IP allowlist', async () => {
    const created = await ctx.newClient()
    const id = (await ctx.ops.clients.get(created.client_id)).credentials?.[0]?.credential_id ?? ''
    await ctx.ops.clients.updateCredential(actor(), created.client_id, id, { ip_allowlist: ['192.0.2.0/24'] })
    await ctx.ops.clients.rotate(actor(), created.client_id, { credential: 'api_key' })
    const rows = await ctx.handle.db
      .select()
      .from(clientCredentials)
      .where(eq(clientCredentials.clientId, created.client_id))
    expect(rows.map((r) => r.ipAllowlist)).toEqual([['192.0.2.0/24']])
    expect(rows[0]?.id).not.toBe(id)
  })
})
