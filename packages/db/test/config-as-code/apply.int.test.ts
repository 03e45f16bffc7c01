import { type ConfigDocument, configDocumentSchema } from '@gatekeeper/models'
import { eq, sql } from 'drizzle-orm'
import { Client } from 'pg'
import { describe, expect, it } from 'vitest'
import { applyConfig, readPlannedState } from '../../src/config-as-code/apply'
import { readLiveConfig } from '../../src/config-as-code/live'
import { planConfig } from '../../src/config-as-code/plan'
import { serializeConfig } from '../../src/config-as-code/serialize'
import { parseConfigText } from '../../src/config-as-code/validate'
import { CONFIG_CHANNEL, parseConfigFeedMessage } from '../../src/notify'
import { adminAuditLog, clientCredentials, configState } from '../../src/schema'
import { useAdminTestContext } from '../admin-support'
import { ORDERS_ROUTE } from './documents'
import { expectStaleApplyRefused } from './support'

const actor = { actor: 'ops@example.com', actorType: 'cli' as const }
const t = useAdminTestContext('test')

const desired: ConfigDocument = configDocumentSchema.parse({
  version: 1,
  routes: [
    ORDERS_ROUTE,
    { domain: '*', route_pattern: '/health', service_name: 'health', methods: { GET: { auth_required: false } } },
  ],
  clients: [
    { client_name: 'billing', credentials: [{ kind: 'api_key' }, { kind: 'shared_secret' }] },
    { client_name: 'reports', status: 'suspended', credentials: [{ kind: 'api_key' }] },
  ],
  permissions: [
    { client_name: 'billing', domain: 'api.example.com', route_pattern: '/orders/*', allowed_methods: ['GET', 'POST'] },
    { client_name: 'reports', domain: 'api.example.com', route_pattern: '/orders/*', allowed_methods: ['GET'] },
  ],
  rate_limits: [{ client_name: 'billing', requests_per_minute: 60 }],
  console_admins: [{ email: 'ops@example.com' }],
})

/** The document without what apply generates (credential ids and prefixes). */
function withoutCredentialIds(doc: ConfigDocument): ConfigDocument {
  return {
    ...doc,
    clients: doc.clients.map((c) => ({ ...c, credentials: c.credentials.map((k) => ({ kind: k.kind })) })),
  }
}

async function configVersion(): Promise<number> {
  const [row] = await t.handle.db.select().from(configState).where(eq(configState.id, 1))
  return row?.version ?? -1
}

async function auditCount(): Promise<number> {
  const [row] = await t.handle.db.select({ n: sql<number>`count(*)::int` }).from(adminAuditLog)
  return row?.n ?? -1
}

describe('applyConfig', () => {
  it('applies a file on an empty database; export gives it back and a second plan is empty', async () => {
    const result = await applyConfig(t.handle.db, desired, { actor, sealer: t.sealer, prune: false })
    expect(result.applied).toBe(true)
    expect(result.plan.changes).toHaveLength(2 + 2 + 2 + 1 + 1)
    expect(result.versionAfter).toBeGreaterThan(result.versionBefore)
    expect(await configVersion()).toBe(result.versionAfter)

    // New clients' credentials come back once, and work as the stored digests say.
    expect(result.credentials.map((c) => c.client_name).sort()).toEqual(['billing', 'reports'])
    const billing = result.credentials.find((c) => c.client_name === 'billing')
    expect(billing?.api_key).toMatch(/^gk_/)
    expect(billing?.shared_secret).toBeTruthy()

    const live = await readLiveConfig(t.handle.db)
    const exported = serializeConfig(live.document)
    for (const c of result.credentials) {
      for (const secret of [c.api_key, c.shared_secret])
        if (secret !== undefined) expect(exported).not.toContain(secret)
    }
    const reparsed = parseConfigText(exported)
    if (!reparsed.ok) throw new Error(JSON.stringify(reparsed.problems))
    expect(withoutCredentialIds(reparsed.document)).toEqual(withoutCredentialIds(serializeRoundTrip(desired)))
    expect(planConfig(live.document, reparsed.document, { prune: true }).changes).toEqual([])

    // Re-applying the exported file (or the original) changes nothing and writes nothing.
    const auditBefore = await auditCount()
    const again = await applyConfig(t.handle.db, reparsed.document, { actor, sealer: t.sealer, prune: true })
    expect(again.applied).toBe(false)
    expect(again.plan.changes).toEqual([])
    expect(await configVersion()).toBe(result.versionAfter)
    expect(await auditCount()).toBe(auditBefore)
    const credentialRows = await t.handle.db.select().from(clientCredentials)
    expect(credentialRows).toHaveLength(3)
  })

  it('commits as ONE config version with ONE notification, however many rows it writes', async () => {
    await t.ops.routes.create(actor, {
      domain: 'x.example.com',
      route_pattern: '/x',
      service_name: 'x',
      methods: { GET: { auth_required: false } },
    })
    const listener = new Client({ connectionString: t.testDb.url })
    await listener.connect()
    const payloads: string[] = []
    listener.on('notification', (msg) => {
      if (msg.channel === CONFIG_CHANNEL) payloads.push(msg.payload ?? '')
    })
    await listener.query(`LISTEN ${CONFIG_CHANNEL}`)
    try {
      const result = await applyConfig(t.handle.db, desired, { actor, sealer: t.sealer, prune: false })
      expect(result.versionBefore).toBe(1)
      expect(result.versionAfter).toBe(2)
      expect(await configVersion()).toBe(2)
      // A row change after the apply, in a transaction of its own, is numbered next as usual.
      await t.ops.routes.create(actor, {
        domain: 'y.example.com',
        route_pattern: '/y',
        service_name: 'y',
        methods: { GET: { auth_required: false } },
      })
      const deadline = Date.now() + 5000
      while (payloads.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
      await new Promise((r) => setTimeout(r, 100))
      expect(payloads.map(parseConfigFeedMessage)).toEqual([
        { batch: result.changeSetId, version: 2 },
        expect.objectContaining({ table: 'routes', op: 'insert', version: 3 }),
      ])
    } finally {
      await listener.end()
    }
  })

  it('audits every change under one change-set id, without secret material', async () => {
    const result = await applyConfig(t.handle.db, desired, { actor, sealer: t.sealer, prune: false })
    const rows = await t.handle.db.select().from(adminAuditLog)
    expect(rows).toHaveLength(result.plan.changes.length)
    expect(new Set(rows.map((r) => r.requestId))).toEqual(new Set([result.changeSetId]))
    expect(rows.map((r) => r.action).sort()).toEqual(
      [
        'route.create',
        'route.create',
        'client.create',
        'client.create',
        'permission.grant',
        'permission.grant',
        'rate_limit.set',
        'console_admin.add',
      ].sort(),
    )
    const text = JSON.stringify(rows)
    for (const c of result.credentials) {
      for (const secret of [c.api_key, c.shared_secret]) if (secret !== undefined) expect(text).not.toContain(secret)
    }
  })

  it('updates and prunes: changed fields are written, unnamed entities deleted', async () => {
    await applyConfig(t.handle.db, desired, { actor, sealer: t.sealer, prune: false })
    const next: ConfigDocument = {
      ...desired,
      routes: desired.routes.filter((r) => r.route_pattern !== '/health'),
      clients: desired.clients.map((c) => (c.client_name === 'reports' ? { ...c, status: 'active' } : c)),
      permissions: desired.permissions.filter((p) => p.client_name === 'billing'),
      rate_limits: [{ client_name: 'billing', requests_per_minute: 120, requests_per_day: 10_000 }],
      console_admins: [],
    }
    const result = await applyConfig(t.handle.db, next, { actor, sealer: t.sealer, prune: true })
    expect(result.credentials).toEqual([])
    const live = await readLiveConfig(t.handle.db)
    expect(planConfig(live.document, next, { prune: true }).changes).toEqual([])
    expect(live.document.routes.map((r) => r.route_pattern)).toEqual(['/orders/*'])
    expect(live.document.console_admins).toEqual([])
  })

  it("a client's expires_at and ip_allowlist are set, changed and cleared by the file, and exported back", async () => {
    const withFields = (expiresAt: number | null, allowlist: string[] | null): ConfigDocument => ({
      ...desired,
      clients: desired.clients.map((c) =>
        c.client_name === 'billing' ? { ...c, expires_at: expiresAt, ip_allowlist: allowlist } : c,
      ),
    })
    await applyConfig(t.handle.db, withFields(1_900_000_000, ['203.0.113.7', '10.0.0.0/8']), {
      actor,
      sealer: t.sealer,
      prune: false,
    })
    const billing = async () =>
      (await readLiveConfig(t.handle.db)).document.clients.find((c) => c.client_name === 'billing')
    expect(await billing()).toMatchObject({ expires_at: 1_900_000_000, ip_allowlist: ['10.0.0.0/8', '203.0.113.7'] })
    expect(serializeConfig((await readLiveConfig(t.handle.db)).document)).toContain('expires_at: 1900000000')
    // Written where authz reads them.
    const [row] = await t.handle.db
      .execute(
        sql`SELECT extract(epoch FROM expires_at)::bigint::text AS e, ip_allowlist FROM clients WHERE client_name = 'billing'`,
      )
      .then((r) => r.rows as Array<{ e: string; ip_allowlist: string[] }>)
    expect(row).toEqual({ e: '1900000000', ip_allowlist: ['10.0.0.0/8', '203.0.113.7'] })

    const changed = await applyConfig(t.handle.db, withFields(2_000_000_000, ['2001:db8::/32']), {
      actor,
      sealer: t.sealer,
      prune: false,
    })
    expect(changed.plan.changes).toEqual([
      {
        action: 'update',
        kind: 'client',
        key: 'billing',
        fields: [
          { field: 'expires_at', from: 1_900_000_000, to: 2_000_000_000 },
          { field: 'ip_allowlist', from: ['10.0.0.0/8', '203.0.113.7'], to: ['2001:db8::/32'] },
        ],
      },
    ])
    expect(await billing()).toMatchObject({ expires_at: 2_000_000_000, ip_allowlist: ['2001:db8::/32'] })

    // Absent from the file: none (the file is the whole desired state).
    const cleared = await applyConfig(t.handle.db, desired, { actor, sealer: t.sealer, prune: false })
    expect(cleared.plan.changes.map((c) => c.fields.map((f) => `${f.field}: ${String(f.to)}`))).toEqual([
      ['expires_at: undefined', 'ip_allowlist: undefined'],
    ])
    const after = await billing()
    expect(after?.expires_at).toBeUndefined()
    expect(after?.ip_allowlist).toBeUndefined()
    const audit = await t.handle.db.select().from(adminAuditLog).where(eq(adminAuditLog.requestId, cleared.changeSetId))
    expect(audit.map((a) => [a.action, a.before, a.after])).toEqual([
      [
        'client.update',
        { key: 'billing', expires_at: 2_000_000_000, ip_allowlist: ['2001:db8::/32'] },
        { key: 'billing', expires_at: null, ip_allowlist: null },
      ],
    ])
  })

  it('a dry run plans under the lock and writes nothing', async () => {
    const result = await applyConfig(t.handle.db, desired, { actor, sealer: t.sealer, prune: false, dryRun: true })
    expect(result.applied).toBe(false)
    expect(result.plan.changes.length).toBeGreaterThan(0)
    expect(result.credentials).toEqual([])
    expect((await readLiveConfig(t.handle.db)).document.routes).toEqual([])
    expect(await auditCount()).toBe(0)
  })

  it('a failure mid-way leaves the database untouched', async () => {
    const state = await readPlannedState(t.handle.db)
    const auditBefore = await auditCount()
    // The last kind apply writes fails: routes, clients, grants and limits are already written by then.
    await t.handle.db.execute(sql`
      CREATE FUNCTION refuse_admin() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused by test'; END $$`)
    await t.handle.db.execute(
      sql`CREATE TRIGGER refuse_admin BEFORE INSERT ON console_admins FOR EACH ROW EXECUTE FUNCTION refuse_admin()`,
    )
    await expect(applyConfig(t.handle.db, desired, { actor, sealer: t.sealer, prune: false })).rejects.toThrow()
    const after = await readPlannedState(t.handle.db)
    expect(after.version).toBe(state.version)
    expect(after.fingerprint).toBe(state.fingerprint)
    expect(after.document.routes).toEqual([])
    expect(await auditCount()).toBe(auditBefore)
    expect(await t.handle.db.select().from(clientCredentials)).toEqual([])
  })

  it('refuses when the live state changed since the plan was made', async () => {
    const planned = await readPlannedState(t.handle.db)
    // Someone else changes a route between the diff a reviewer saw and the apply.
    await t.ops.routes.create(actor, {
      domain: 'api.example.com',
      route_pattern: '/other',
      service_name: 'other',
      methods: { GET: { auth_required: false } },
    })
    await expectStaleApplyRefused(t, desired, actor, { expectedVersion: planned.version })
    expect((await readLiveConfig(t.handle.db)).document.routes.map((r) => r.route_pattern)).toEqual(['/other'])

    // Console admins carry no config version: the fingerprint catches their changes.
    const planned2 = await readPlannedState(t.handle.db)
    await t.ops.admins.add(actor, { email: 'late@example.com' })
    expect(await configVersion()).toBe(planned2.version)
    await expectStaleApplyRefused(t, desired, actor, {
      expectedVersion: planned2.version,
      expectedFingerprint: planned2.fingerprint,
    })
    expect(await auditCount()).toBe(2)
  })
})

/** The document as a file would carry it (canonical order), parsed back. */
function serializeRoundTrip(doc: ConfigDocument): ConfigDocument {
  const parsed = parseConfigText(serializeConfig(doc))
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
  return parsed.document
}

describe('applyConfig: credential lifecycle', () => {
  it('creates credentials with it, updates those listed by id in bulk, audited as client changes', async () => {
    const file = configDocumentSchema.parse({
      version: 1,
      clients: [
        {
          client_name: 'keys',
          credentials: [
            { kind: 'api_key', expires_at: 4_102_444_800, ip_allowlist: ['203.0.113.7', '10.0.0.0/8'] },
            { kind: 'shared_secret' },
          ],
        },
      ],
    })
    // Stored as the set the file means: sorted, without repeats.
    const created = await applyConfig(t.handle.db, file, { actor, sealer: t.sealer, prune: false })
    const clientId = created.credentials[0]?.client_id ?? ''
    const rows = async () =>
      (await t.handle.db.select().from(clientCredentials).where(eq(clientCredentials.clientId, clientId)))
        .map((r) => [r.kind, r.validUntil?.toISOString() ?? null, r.ipAllowlist])
        .sort()
    expect(await rows()).toEqual([
      ['api_key', '2100-01-01T00:00:00.000Z', ['10.0.0.0/8', '203.0.113.7']],
      ['shared_secret', null, null],
    ])
    const [createEntry] = await t.handle.db.select().from(adminAuditLog).where(eq(adminAuditLog.entityId, clientId))
    expect(createEntry?.after).toMatchObject({
      'credentials.api_key.expires_at': 4_102_444_800,
      'credentials.api_key.ip_allowlist': ['10.0.0.0/8', '203.0.113.7'],
    })

    // The export lists them; the export with the shared secret narrowed and the key's expiry dropped applies as
    // one client update, one config version.
    const live = await readLiveConfig(t.handle.db)
    const exported = serializeConfig(live.document)
    expect(exported).toContain('expires_at: 4102444800')
    const edited = structuredClone(live.document)
    for (const cred of edited.clients[0]?.credentials ?? []) {
      if (cred.kind === 'api_key') delete cred.expires_at
      else cred.ip_allowlist = ['198.51.100.0/24']
    }
    const versionBefore = await configVersion()
    const updated = await applyConfig(t.handle.db, edited, { actor, sealer: t.sealer, prune: true })
    expect(updated.plan.changes.map((c) => [c.action, c.kind, c.fields.map((f) => f.field)])).toEqual([
      ['update', 'client', ['credentials.api_key.expires_at', 'credentials.shared_secret.ip_allowlist']],
    ])
    expect(await configVersion()).toBe(versionBefore + 1)
    expect(await rows()).toEqual([
      ['api_key', null, ['10.0.0.0/8', '203.0.113.7']],
      ['shared_secret', null, ['198.51.100.0/24']],
    ])
    const detail = await t.ops.clients.get(clientId)
    expect(detail.credentials?.map((c) => [c.kind, c.expires_at, c.ip_allowlist]).sort()).toEqual([
      ['api_key', null, ['10.0.0.0/8', '203.0.113.7']],
      ['shared_secret', null, ['198.51.100.0/24']],
    ])
    const [updateEntry] = await t.handle.db
      .select()
      .from(adminAuditLog)
      .where(eq(adminAuditLog.requestId, updated.changeSetId))
    expect(updateEntry).toMatchObject({
      action: 'client.update',
      entityId: clientId,
      before: {
        key: 'keys',
        'credentials.api_key.expires_at': 4_102_444_800,
        'credentials.shared_secret.ip_allowlist': null,
      },
      after: {
        key: 'keys',
        'credentials.api_key.expires_at': null,
        'credentials.shared_secret.ip_allowlist': ['198.51.100.0/24'],
      },
    })
  })
})
