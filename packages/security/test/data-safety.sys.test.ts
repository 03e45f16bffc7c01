import { useBareStack } from '@gatekeeper/e2e/use-stack'
import { Client } from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AdminClient, adminClient, field } from '../src/http/admin-client'

// The control plane never loses or silently overwrites a change, through a real console-api and PostgreSQL:
//   - concurrent edits of one entity with the version they read: exactly one wins, the others get 412;
//   - a write and its audit row commit together: a failure forced at any point (the entity row, the audit row,
//     or at COMMIT after both were written) leaves neither, and nothing reaches authz;
//   - a delete says what it took with it (Gatekeeper-Cascaded) and audits each cascaded row.

const stack = useBareStack()
let pg: Client
let alice: AdminClient
let bob: AdminClient

beforeAll(async () => {
  pg = new Client({ connectionString: stack.db.url, application_name: 'gatekeeper-security-tests' })
  await pg.connect()
  alice = adminClient(stack.console.api.port, stack.console.token)
  // A second console admin, signed in separately.
  const second = stack.console.aegis.addUser()
  const added = await alice.call('POST', '/admins', { email: second.user.email, aegis_user_id: second.user.uuid })
  expect(added.status).toBe(201)
  bob = adminClient(stack.console.api.port, second.token)
})

afterAll(async () => {
  await pg?.end()
})

async function auditCount(where: string, params: unknown[]): Promise<number> {
  const { rows } = await pg.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM admin_audit_log WHERE ${where}`,
    params,
  )
  return Number(rows[0]?.n ?? 0)
}

async function configVersion(): Promise<number> {
  const { rows } = await pg.query<{ v: string }>('SELECT version::text AS v FROM config_state WHERE id = 1')
  return Number(rows[0]?.v ?? 0)
}

let counter = 0
const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`

async function newRoute(): Promise<{ id: string; version: number }> {
  const reply = await alice.call('POST', '/routes', {
    route_pattern: `/${unique('r')}/*`,
    domain: 'api.example.com',
    service_name: 'svc',
    methods: { GET: { auth_required: true, auth_type: 'api_key' } },
  })
  expect(reply.status, reply.text).toBe(201)
  return { id: field(reply, 'route_id'), version: Number(field(reply, 'version')) }
}

async function newClient(): Promise<string> {
  const reply = await alice.call('POST', '/clients', { client_name: unique('c'), api_key: true, shared_secret: true })
  expect(reply.status, reply.text).toBe(201)
  return field(reply, 'client_id')
}

describe('concurrent edits never silently overwrite each other', () => {
  it('eight admins updating one route from the same version: one 200, seven 412, one audit row', async () => {
    const route = await newRoute()
    const writers = Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? alice : bob))
    const replies = await Promise.all(
      writers.map((admin, i) =>
        admin.call('PUT', `/routes/${route.id}`, { service_name: `writer-${i}` }, { 'If-Match': `"${route.version}"` }),
      ),
    )
    const statuses = replies.map((r) => r.status).sort()
    expect(statuses).toEqual([200, 412, 412, 412, 412, 412, 412, 412])
    const winner = replies.findIndex((r) => r.status === 200)
    const now = await alice.call('GET', `/routes/${route.id}`)
    expect(now.json).toMatchObject({ service_name: `writer-${winner}`, version: route.version + 1 })
    expect(await auditCount("action = 'route.update' AND entity_id = $1", [route.id])).toBe(1)
    for (const loser of replies.filter((r) => r.status === 412)) {
      expect(loser.json).toMatchObject({ code: 412 })
    }
  })

  it('the version in the body works the same way (a client status change)', async () => {
    const id = await newClient()
    const read = await alice.call('GET', `/clients/${id}`)
    const version = Number(field(read, 'version'))
    const [a, b] = await Promise.all([
      alice.call('PUT', `/clients/${id}`, { status: 'suspended', version }),
      bob.call('PUT', `/clients/${id}`, { status: 'revoked', version }),
    ])
    expect([a.status, b.status].sort()).toEqual([200, 412])
    const after = await alice.call('GET', `/clients/${id}`)
    expect(field(after, 'status')).toBe(a.status === 200 ? 'suspended' : 'revoked')
  })

  it('a write from a stale read is refused, and so is a stale delete', async () => {
    const route = await newRoute()
    expect(
      (await alice.call('PUT', `/routes/${route.id}`, { service_name: 'first', version: route.version })).status,
    ).toBe(200)
    const stale = await bob.call('PUT', `/routes/${route.id}`, { service_name: 'second', version: route.version })
    expect(stale.status).toBe(412)
    const staleDelete = await bob.call('DELETE', `/routes/${route.id}`, undefined, { 'If-Match': `"${route.version}"` })
    expect(staleDelete.status).toBe(412)
    expect((await alice.call('GET', `/routes/${route.id}`)).json).toMatchObject({ service_name: 'first' })
  })

  it('a permission updated from a stale version is refused', async () => {
    const route = await newRoute()
    const client = await newClient()
    const granted = await alice.call('POST', '/permissions', {
      client_id: client,
      route_id: route.id,
      allowed_methods: ['GET'],
    })
    expect(granted.status, granted.text).toBe(201)
    const version = Number(field(granted, 'version'))
    const [a, b] = await Promise.all([
      alice.call('POST', '/permissions', {
        client_id: client,
        route_id: route.id,
        allowed_methods: ['GET', 'POST'],
        version,
      }),
      bob.call('POST', '/permissions', { client_id: client, route_id: route.id, allowed_methods: ['DELETE'], version }),
    ])
    expect([a.status, b.status].sort()).toEqual([200, 412])
    const current = await alice.call('GET', `/permissions?client_id=${client}`)
    const [grant] = current.json as Array<{ version: number; permission_id: string }>
    // If-Match works the same, and a versioned grant never creates one that was revoked meanwhile.
    const stale = await bob.call(
      'POST',
      '/permissions',
      { client_id: client, route_id: route.id, allowed_methods: ['GET'] },
      { 'If-Match': `"${version}"` },
    )
    expect(stale.status).toBe(412)
    expect((await alice.call('DELETE', `/permissions/${grant?.permission_id}`)).status).toBe(204)
    const revived = await bob.call('POST', '/permissions', {
      client_id: client,
      route_id: route.id,
      allowed_methods: ['GET'],
      version: grant?.version,
    })
    expect(revived.status).toBe(412)
  })
})

describe('a write and its audit row commit together', () => {
  // Failures are forced inside PostgreSQL with triggers that fire only for a marker value, so nothing else in
  // this database is affected.
  beforeAll(async () => {
    await pg.query(`
      CREATE FUNCTION gk_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'gk_test_fail: forced failure (%)', TG_NAME; END $$;
      CREATE CONSTRAINT TRIGGER gk_test_fail_at_commit AFTER INSERT OR UPDATE ON routes
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
        WHEN (NEW.service_name = 'gk-fail-at-commit') EXECUTE FUNCTION gk_test_fail();
      CREATE TRIGGER gk_test_fail_audit BEFORE INSERT ON admin_audit_log FOR EACH ROW
        WHEN (NEW.after ->> 'client_name' = 'gk-fail-audit'
              OR NEW.after ->> 'service_name' = 'gk-fail-audit'
              OR (NEW.action = 'route.delete' AND NEW.before ->> 'service_name' = 'gk-fail-audit-delete'))
        EXECUTE FUNCTION gk_test_fail();
      CREATE TRIGGER gk_test_fail_entity BEFORE INSERT ON clients FOR EACH ROW
        WHEN (NEW.client_name = 'gk-fail-entity') EXECUTE FUNCTION gk_test_fail();
    `)
  })

  async function expectFailedCleanly(reply: { status: number; text: string }) {
    expect(reply.status).toBe(500)
    expect(reply.text).not.toMatch(/gk_test_fail|trigger|RAISE|SQL/i)
    expect(JSON.parse(reply.text)).toMatchObject({ code: 500 })
  }

  it('a route whose transaction fails at COMMIT, after the row and its audit row were written: neither lands', async () => {
    const version = await configVersion()
    const reply = await alice.call('POST', '/routes', {
      route_pattern: '/commit-fails/*',
      service_name: 'gk-fail-at-commit',
      methods: { GET: { auth_required: false } },
    })
    await expectFailedCleanly(reply)
    const { rows } = await pg.query("SELECT 1 FROM routes WHERE service_name = 'gk-fail-at-commit'")
    expect(rows).toEqual([])
    expect(await auditCount("after ->> 'service_name' = 'gk-fail-at-commit'", [])).toBe(0)
    expect(await configVersion()).toBe(version) // and so authz was never told
  })

  it('a client whose audit row cannot be written: no client, no credentials', async () => {
    const before = await pg.query<{ c: string; k: string }>(
      'SELECT (SELECT count(*) FROM clients)::text AS c, (SELECT count(*) FROM client_credentials)::text AS k',
    )
    await expectFailedCleanly(
      await alice.call('POST', '/clients', { client_name: 'gk-fail-audit', api_key: true, shared_secret: true }),
    )
    const after = await pg.query<{ c: string; k: string }>(
      'SELECT (SELECT count(*) FROM clients)::text AS c, (SELECT count(*) FROM client_credentials)::text AS k',
    )
    expect(after.rows).toEqual(before.rows)
  })

  it('a client whose own row cannot be written: no audit row', async () => {
    await expectFailedCleanly(await alice.call('POST', '/clients', { client_name: 'gk-fail-entity', api_key: true }))
    expect(await auditCount("after ->> 'client_name' = 'gk-fail-entity'", [])).toBe(0)
  })

  it('an update whose audit row cannot be written leaves the route as it was', async () => {
    const route = await newRoute()
    await expectFailedCleanly(await alice.call('PUT', `/routes/${route.id}`, { service_name: 'gk-fail-audit' }))
    expect((await alice.call('GET', `/routes/${route.id}`)).json).toMatchObject({
      service_name: 'svc',
      version: route.version,
    })
  })

  it('a delete whose audit row cannot be written keeps the route and the permissions it would have cascaded', async () => {
    const route = await newRoute()
    await alice.call('PUT', `/routes/${route.id}`, { service_name: 'gk-fail-audit-delete' })
    const clients = [await newClient(), await newClient()]
    for (const client of clients) {
      const grant = await alice.call('POST', '/permissions', {
        client_id: client,
        route_id: route.id,
        allowed_methods: ['GET'],
      })
      expect(grant.status).toBe(201)
    }
    await expectFailedCleanly(await alice.call('DELETE', `/routes/${route.id}`))
    expect((await alice.call('GET', `/routes/${route.id}`)).status).toBe(200)
    const { rows } = await pg.query('SELECT 1 FROM client_permissions WHERE route_id = $1', [route.id])
    expect(rows.length).toBe(2)
    expect(await auditCount("action = 'permission.revoke' AND before ->> 'route_id' = $1", [route.id])).toBe(0)
  })
})

describe('deletes say what they cascade', () => {
  it('a route: Gatekeeper-Cascaded counts its permissions, and each is audited with the delete', async () => {
    const route = await newRoute()
    for (let i = 0; i < 3; i++) {
      const grant = await alice.call('POST', '/permissions', {
        client_id: await newClient(),
        route_id: route.id,
        allowed_methods: ['GET'],
      })
      expect(grant.status).toBe(201)
    }
    const reply = await alice.call('DELETE', `/routes/${route.id}`)
    expect(reply.status).toBe(204)
    expect(reply.headers['gatekeeper-cascaded']).toBe('permissions=3')
    const { rows } = await pg.query<{ action: string; request_id: string | null }>(
      `SELECT action, request_id FROM admin_audit_log
        WHERE (action = 'route.delete' AND entity_id = $1) OR (action = 'permission.revoke' AND before ->> 'route_id' = $1)`,
      [route.id],
    )
    expect(rows.map((r) => r.action).sort()).toEqual([
      'permission.revoke',
      'permission.revoke',
      'permission.revoke',
      'route.delete',
    ])
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(1) // one request, one transaction
  })

  it('a client: credentials, permissions and rate limit counted, permissions and limit audited', async () => {
    const client = await newClient()
    const route = await newRoute()
    expect(
      (await alice.call('POST', '/permissions', { client_id: client, route_id: route.id, allowed_methods: ['GET'] }))
        .status,
    ).toBe(201)
    expect(
      (await alice.call('PUT', `/rate-limits/${client}`, { requests_per_minute: 5, requests_per_day: null })).status,
    ).toBe(200)
    const reply = await alice.call('DELETE', `/clients/${client}`)
    expect(reply.status).toBe(204)
    const cascaded = Object.fromEntries(
      (reply.headers['gatekeeper-cascaded'] ?? '').split(', ').map((pair) => pair.split('=')),
    )
    expect(cascaded).toEqual({ permissions: '1', credentials: '2', rate_limit: '1' })
    const { rows } = await pg.query<{ action: string }>(
      `SELECT action FROM admin_audit_log
        WHERE entity_id = $1 OR before ->> 'client_id' = $1 OR after ->> 'client_id' = $1 ORDER BY id`,
      [client],
    )
    expect(rows.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        'client.create',
        'permission.grant',
        'rate_limit.set',
        'permission.revoke',
        'rate_limit.clear',
        'client.delete',
      ]),
    )
    const { rows: left } = await pg.query(
      'SELECT 1 FROM client_credentials WHERE client_id = $1 UNION ALL SELECT 1 FROM client_permissions WHERE client_id = $1 UNION ALL SELECT 1 FROM rate_limits WHERE client_id = $1',
      [client],
    )
    expect(left).toEqual([])
  })
})
