// A large apply (1,000 routes, 10,000 clients with their credentials, grants and limits) on an empty database:
// one transaction, one config version, every row present, in bulk statements. Then a large update, and failing
// applies (a constraint violation half-way, a concurrent change) that leave that large state untouched.

import { ApiError, type ConfigDocument, configDocumentSchema } from '@gatekeeper/models'
import { eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { applyConfig, readPlannedState } from '../../src/config-as-code/apply'
import { readLiveConfig } from '../../src/config-as-code/live'
import { planConfig } from '../../src/config-as-code/plan'
import { adminAuditLog, clientCredentials, configState } from '../../src/schema'
import { useAdminTestContext } from '../admin-support'
import { expectStaleApplyRefused } from './support'

const ROUTES = 1000
const CLIENTS = 10_000
const actor = { actor: 'ci@example.com', actorType: 'admin_token' as const }
const t = useAdminTestContext()

function bigDocument(): ConfigDocument {
  return configDocumentSchema.parse({
    version: 1,
    routes: Array.from({ length: ROUTES }, (_, i) => ({
      domain: `api-${i % 10}.example.com`,
      route_pattern: `/svc-${i}/*`,
      service_name: `svc-${i}`,
      methods: { GET: { auth_required: true, auth_type: 'api_key' }, POST: { auth_required: true, auth_type: 'hmac' } },
    })),
    clients: Array.from({ length: CLIENTS }, (_, i) => ({
      client_name: `client-${i}`,
      credentials: i % 10 === 0 ? [{ kind: 'api_key' }, { kind: 'shared_secret' }] : [{ kind: 'api_key' }],
    })),
    permissions: Array.from({ length: CLIENTS }, (_, i) => ({
      client_name: `client-${i}`,
      domain: `api-${i % 10}.example.com`,
      route_pattern: `/svc-${i % ROUTES}/*`,
      allowed_methods: ['GET'],
    })),
    rate_limits: Array.from({ length: CLIENTS / 10 }, (_, i) => ({
      client_name: `client-${i * 10}`,
      requests_per_minute: 60 + i,
    })),
  })
}

async function count(table: string): Promise<number> {
  const result = await t.handle.db.execute(sql.raw(`SELECT count(*)::int AS n FROM ${table}`))
  return (result.rows[0] as { n: number }).n
}

async function configVersion(): Promise<number> {
  const [row] = await t.handle.db.select().from(configState).where(eq(configState.id, 1))
  return row?.version ?? -1
}

describe('a large apply', () => {
  let doc: ConfigDocument

  it('1,000 routes and 10,000 clients (+ credentials, grants, limits) commit as one transaction and one version', async () => {
    doc = bigDocument()
    const started = performance.now()
    const result = await applyConfig(t.handle.db, doc, { actor, sealer: t.sealer, prune: false })
    const ms = Math.round(performance.now() - started)
    console.info(
      `apply of ${ROUTES} routes, ${CLIENTS} clients, ${CLIENTS} permissions, ${CLIENTS / 10} rate limits on an empty database: ${ms} ms`,
    )
    expect(result.applied).toBe(true)
    expect(result.versionBefore).toBe(0)
    expect(result.versionAfter).toBe(1)
    expect(await configVersion()).toBe(1)
    expect(await count('routes')).toBe(ROUTES)
    expect(await count('clients')).toBe(CLIENTS)
    expect(await count('client_credentials')).toBe(CLIENTS + CLIENTS / 10)
    expect(await count('client_permissions')).toBe(CLIENTS)
    expect(await count('rate_limits')).toBe(CLIENTS / 10)
    expect(result.credentials).toHaveLength(CLIENTS)
    // One audit entry per change, all under the change-set id.
    const audit = await t.handle.db
      .select({ n: sql<number>`count(*)::int`, sets: sql<number>`count(DISTINCT request_id)::int` })
      .from(adminAuditLog)
    expect(audit[0]).toEqual({ n: result.plan.changes.length, sets: 1 })
    // The live state is exactly the file.
    const live = await readLiveConfig(t.handle.db)
    expect(planConfig(live.document, doc, { prune: true }).changes).toEqual([])
  }, 180_000)

  it('a large update (every route, grant and limit changed) is one version too, and lands field for field', async () => {
    const next: ConfigDocument = {
      ...doc,
      routes: doc.routes.map((r) => ({ ...r, service_name: `${r.service_name}-v2` })),
      clients: doc.clients.map((c, i) => (i % 100 === 0 ? { ...c, status: 'suspended' } : c)),
      permissions: doc.permissions.map((p) => ({ ...p, allowed_methods: ['GET', 'POST'] })),
      rate_limits: doc.rate_limits.map((l) => ({ ...l, requests_per_day: 10_000 })),
    }
    const started = performance.now()
    const result = await applyConfig(t.handle.db, next, { actor, sealer: t.sealer, prune: false })
    console.info(`apply updating ${result.plan.changes.length} entities: ${Math.round(performance.now() - started)} ms`)
    expect(result.plan.changes.every((c) => c.action === 'update')).toBe(true)
    expect(result.versionAfter).toBe(result.versionBefore + 1)
    const live = await readLiveConfig(t.handle.db)
    expect(planConfig(live.document, next, { prune: true }).changes).toEqual([])
    doc = next
  }, 180_000)

  it('a constraint violation half-way leaves the whole database as it was', async () => {
    const before = await readPlannedState(t.handle.db)
    const auditBefore = await count('admin_audit_log')
    const credentialsBefore = await t.handle.db.select({ id: clientCredentials.id }).from(clientCredentials)
    // Routes, clients and credentials are written first; the grants then hit a duplicate key the test plants:
    // a unique index on (route_id) alone makes the second grant on any route fail.
    await t.handle.db.execute(sql`CREATE UNIQUE INDEX test_one_grant_per_route ON client_permissions (route_id)
      WHERE allowed_methods = ARRAY['DELETE']`)
    const broken: ConfigDocument = {
      ...doc,
      routes: [
        ...doc.routes,
        {
          domain: 'new.example.com',
          route_pattern: '/new',
          service_name: 'new',
          methods: { DELETE: { auth_required: false, auth_type: null } },
        },
      ],
      clients: [
        ...doc.clients,
        { client_name: 'new-1', status: 'active', credentials: [{ kind: 'api_key' }] },
        { client_name: 'new-2', status: 'active', credentials: [] },
      ],
      permissions: [
        ...doc.permissions.map((p) => ({ ...p, allowed_methods: ['GET' as const] })),
        { client_name: 'new-1', domain: 'new.example.com', route_pattern: '/new', allowed_methods: ['DELETE'] },
        { client_name: 'new-2', domain: 'new.example.com', route_pattern: '/new', allowed_methods: ['DELETE'] },
      ],
    }
    const err = await applyConfig(t.handle.db, broken, { actor, sealer: t.sealer, prune: true }).catch(
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).status).toBe(409)
    const after = await readPlannedState(t.handle.db)
    expect(after.version).toBe(before.version)
    expect(after.fingerprint).toBe(before.fingerprint)
    expect(await count('admin_audit_log')).toBe(auditBefore)
    expect(await t.handle.db.select({ id: clientCredentials.id }).from(clientCredentials)).toEqual(credentialsBefore)
    await t.handle.db.execute(sql`DROP INDEX test_one_grant_per_route`)
  }, 180_000)

  it('a change made after the plan makes the apply refuse (412) and write nothing', async () => {
    const planned = await readPlannedState(t.handle.db)
    const next = { ...doc, routes: doc.routes.map((r) => ({ ...r, service_name: `${r.service_name}-v3` })) }
    // Someone suspends a client between the reviewed diff and the apply.
    const [victim] = await t.handle.db
      .execute(sql`SELECT id FROM clients WHERE client_name = 'client-1'`)
      .then((r) => r.rows)
    await t.ops.clients.update(actor, (victim as { id: string }).id, { status: 'suspended' })
    const between = await readPlannedState(t.handle.db)
    const auditBefore = await count('admin_audit_log')
    await expectStaleApplyRefused(t, next, actor, {
      expectedVersion: planned.version,
      expectedFingerprint: planned.fingerprint,
    })
    const after = await readPlannedState(t.handle.db)
    expect(after.version).toBe(between.version)
    expect(after.fingerprint).toBe(between.fingerprint)
    expect(await count('admin_audit_log')).toBe(auditBefore)
  }, 180_000)
})
