import type {
  AuditEntryWire,
  ConfigApplyResponse,
  ConfigChangeSetDetail,
  ConfigChangeSetList,
  ConfigPlanResponse,
  ErrorEnvelope,
} from '@gatekeeper/models'
import { ORDERS_FILE } from '@gatekeeper/testkit/config-files'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHarness, type Harness, json, must, SYSTEM_ACTOR } from './harness'

// Configuration as code over the admin API, on a real Postgres: export, plan (read scope), apply (write scope,
// conditional on the plan), and the change-set history the console shows.

let h: Harness
let writeToken: string
let readToken: string
let admin: { token: string; email: string }

beforeAll(async () => {
  h = await createHarness()
  admin = await h.newAdmin()
  writeToken = (await h.ops.tokens.create(SYSTEM_ACTOR, { name: 'ci-deploy', scope: 'write' }, new Date())).token
  readToken = (await h.ops.tokens.create(SYSTEM_ACTOR, { name: 'ci-review', scope: 'read' }, new Date())).token
})
afterAll(() => h.close())

const yaml = { 'content-type': 'application/yaml' }
const asJson = { 'content-type': 'application/json' }
const ORDERS_ROUTE = {
  domain: 'api.example.com',
  route_pattern: '/orders/*',
  service_name: 'orders',
  methods: { GET: { auth_required: true, auth_type: 'api_key' } },
}

/** A small configuration; the console admin in it is the test's signed-in admin. */
function file(): string {
  return `${ORDERS_FILE}rate_limits:
  - client_name: billing
    requests_per_minute: 100
console_admins:
  - email: ${admin.email}
  - email: ops@example.com
`
}

async function plan(text: string, token = readToken, query = ''): Promise<ConfigPlanResponse> {
  const res = await h.call('POST', `/api/admin/config/plan${query}`, { token, body: text, headers: yaml })
  expect(res.status).toBe(200)
  return json<ConfigPlanResponse>(res)
}

async function apply(text: string, query: string, token = writeToken): Promise<Response> {
  return h.call('POST', `/api/admin/config/apply${query}`, { token, body: text, headers: yaml })
}

describe('configuration as code over the admin API', () => {
  it('export: YAML by default, JSON by ?format or Accept, with the version and fingerprint; read scope suffices', async () => {
    const res = await h.call('GET', '/api/admin/config/export', { token: readToken })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/yaml/)
    expect(res.headers.get('gatekeeper-config-version')).toMatch(/^\d+$/)
    expect(res.headers.get('gatekeeper-config-fingerprint')).toMatch(/^[0-9a-f]{64}$/)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const text = await res.text()
    expect(text).toMatch(/^# Gatekeeper configuration/)
    expect(text).toContain('version: 1')

    const asJson = await h.call('GET', '/api/admin/config/export?format=json', { token: readToken })
    expect(asJson.headers.get('content-type')).toMatch(/^application\/json/)
    expect((await asJson.json()) as Record<string, unknown>).toMatchObject({ version: 1, routes: [] })
    const byAccept = await h.call('GET', '/api/admin/config/export', {
      token: readToken,
      headers: { accept: 'application/json' },
    })
    expect(byAccept.headers.get('content-type')).toMatch(/^application\/json/)
    const bad = await h.call('GET', '/api/admin/config/export?format=toml', { token: readToken })
    expect(bad.status).toBe(400)
  })

  it('plan → apply with the plan’s version and fingerprint; credentials once; the change set is listed with its entries', async () => {
    const planned = await plan(file())
    expect(planned.counts).toEqual({ create: 5, update: 0, delete: 0 })
    expect(planned.text).toContain('+ create client billing')
    expect(planned.fingerprint).toMatch(/^[0-9a-f]{64}$/)

    // A read-only token may plan, never apply.
    const refused = await apply(file(), `?expected_version=${planned.config_version}`, readToken)
    expect(refused.status).toBe(403)

    const res = await apply(
      file(),
      `?expected_version=${planned.config_version}&expected_fingerprint=${planned.fingerprint}`,
    )
    expect(res.status).toBe(200)
    const result = await json<ConfigApplyResponse>(res)
    expect(result.applied).toBe(true)
    expect(result.version_after).toBe(result.version_before + 1)
    expect(result.credentials).toEqual([
      { client_name: 'billing', client_id: expect.any(String), api_key: expect.stringMatching(/^gk_/) },
    ])
    const changeSetId = must(result.change_set_id)

    // The export now names everything, and never the key.
    const exported = await (await h.call('GET', '/api/admin/config/export', { token: readToken })).text()
    expect(exported).toContain('client_name: billing')
    expect(exported).not.toContain(must(result.credentials[0]?.api_key))
    // Planning the export: no change.
    expect((await plan(exported, readToken, '?prune=true')).plan.changes).toEqual([])

    const list = await json<ConfigChangeSetList>(
      await h.call('GET', '/api/admin/config/changesets', { token: readToken }),
    )
    expect(list.changesets[0]).toEqual({
      id: changeSetId,
      applied_at: expect.any(Number),
      actor: 'ci-deploy',
      creates: 5,
      updates: 0,
      deletes: 0,
      config_version: result.version_after,
    })
    expect(Math.abs(must(list.changesets[0]).applied_at - Date.now() / 1000)).toBeLessThan(60)

    const one = await json<ConfigChangeSetDetail>(
      await h.call('GET', `/api/admin/config/changesets/${changeSetId}`, { token: readToken }),
    )
    expect(one).toMatchObject({ id: changeSetId, actor: 'ci-deploy', entries_total: 5 })
    expect(one.entries.map((e) => e.action)).toEqual([
      'route.create',
      'client.create',
      'permission.grant',
      'rate_limit.set',
      'console_admin.add',
    ])
    // The same entries as the audit log shows them.
    const audit = await json<AuditEntryWire[]>(
      await h.call('GET', `/api/admin/audit?actor=ci-deploy&limit=500`, { token: readToken }),
    )
    const mine = audit
      .filter((e) => e.request_id === changeSetId)
      .sort((a, b) => Number(a.audit_id) - Number(b.audit_id))
    expect(one.entries).toEqual(mine)
    expect(JSON.stringify(one)).not.toContain(must(result.credentials[0]?.api_key))

    // Applying the same file again: nothing to do, no change set.
    const again = await plan(file())
    const noop = await json<ConfigApplyResponse>(await apply(file(), `?expected_fingerprint=${again.fingerprint}`))
    expect(noop).toMatchObject({ applied: false, change_set_id: null, credentials: [] })
  })

  it('refuses with 412 when the live state changed after the plan, and writes nothing', async () => {
    const changed = file().replace('requests_per_minute: 100', 'requests_per_minute: 200')
    const planned = await plan(changed)
    expect(planned.counts).toEqual({ create: 0, update: 1, delete: 0 })
    await h.ops.routes.create(SYSTEM_ACTOR, {
      domain: 'other.example.com',
      route_pattern: '/late',
      service_name: 'late',
      methods: { GET: { auth_required: false } },
    })
    const res = await apply(
      changed,
      `?expected_version=${planned.config_version}&expected_fingerprint=${planned.fingerprint}`,
    )
    expect(res.status).toBe(412)
    expect((await json<ErrorEnvelope>(res)).error).toBe('precondition_failed')
    const exported = await (await h.call('GET', '/api/admin/config/export', { token: readToken })).text()
    expect(exported).toContain('requests_per_minute: 100')

    // Without any expectation the apply is refused too (a pipeline must apply what it reviewed).
    const blind = await apply(changed, '')
    expect(blind.status).toBe(400)
    expect((await json<ErrorEnvelope>(blind)).details?.[0]?.path).toBe('expected_fingerprint')
  })

  it('a bad file is a 400 whose details carry path, line and column; a bad body type is a 400', async () => {
    const broken = file().replace('allowed_methods: [GET]', 'allowed_methods: [DELETE]').replace('status', 'x')
    const res = await h.call('POST', '/api/admin/config/plan', {
      token: readToken,
      body: broken,
      headers: yaml,
    })
    expect(res.status).toBe(400)
    const body = await json<ErrorEnvelope>(res)
    expect(body.error).toBe('validation_error')
    expect(body.details).toEqual([
      {
        path: 'permissions[0].allowed_methods',
        message: expect.stringMatching(/DELETE not configured on route api.example.com \/orders\/\*/),
        line: 15,
        column: 22,
      },
    ])

    const badJson = '{\n  "version": 1,\n  "routes": [,]\n}'
    const res2 = await h.call('POST', '/api/admin/config/apply?expected_version=1', {
      token: writeToken,
      body: badJson,
      headers: { 'content-type': 'application/json' },
    })
    expect(res2.status).toBe(400)
    const body2 = await json<ErrorEnvelope>(res2)
    expect(body2.details?.[0]).toMatchObject({ path: '(syntax)', line: 3 })

    const duplicateKey = 'version: 1\nroutes: []\nroutes: []\n'
    const res3 = await h.call('POST', '/api/admin/config/plan', {
      token: readToken,
      body: duplicateKey,
      headers: yaml,
    })
    expect(res3.status).toBe(400)
    expect((await json<ErrorEnvelope>(res3)).details?.[0]).toMatchObject({ line: 3 })

    const form = await h.call('POST', '/api/admin/config/plan', {
      token: readToken,
      body: 'version=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(form.status).toBe(400)
  })

  it('takes a JSON file over the admin API’s 1 MiB body limit, up to 16 MiB; YAML up to 256 KiB', async () => {
    // A few MiB of JSON: thousands of clients with their grants.
    const count = 6000
    const big = JSON.stringify({
      version: 1,
      routes: [ORDERS_ROUTE],
      clients: Array.from({ length: count }, (_, i) => ({
        client_name: `client-${i}`,
        credentials: [{ kind: 'api_key' }],
        metadata: { team: `team-${i % 50}`, note: 'n'.repeat(200) },
      })),
      permissions: Array.from({ length: count }, (_, i) => ({
        client_name: `client-${i}`,
        domain: ORDERS_ROUTE.domain,
        route_pattern: ORDERS_ROUTE.route_pattern,
        allowed_methods: ['GET'],
      })),
    })
    expect(big.length).toBeGreaterThan(2 * 1024 * 1024)
    const res = await h.call('POST', '/api/admin/config/plan', { token: readToken, body: big, headers: asJson })
    expect(res.status).toBe(200)
    const planned = await json<ConfigPlanResponse>(res)
    const creates = (kind: string) => planned.plan.changes.filter((ch) => ch.kind === kind && ch.action === 'create')
    expect(creates('client')).toHaveLength(count)
    expect(creates('permission')).toHaveLength(count)
    const huge = `${JSON.stringify({ version: 1 })}${' '.repeat(17 * 1024 * 1024)}`
    const res2 = await h.call('POST', '/api/admin/config/plan', { token: readToken, body: huge, headers: asJson })
    expect(res2.status).toBe(413)
    expect((await json<ErrorEnvelope>(res2)).message).toBe('a configuration file may be at most 16 MiB')

    // The YAML reader is slow (about 0.6 MB/s): a YAML file past 256 KiB is refused, and says to send JSON.
    const bigYaml = `${file()}# ${'x'.repeat(256 * 1024)}\n`
    const res4 = await h.call('POST', '/api/admin/config/plan', { token: readToken, body: bigYaml, headers: yaml })
    expect(res4.status).toBe(413)
    expect((await json<ErrorEnvelope>(res4)).message).toBe(
      'a YAML configuration file may be at most 256 KiB; send a larger one as JSON (Content-Type: application/json, up to 16 MiB)',
    )
    // 15 MiB of YAML would hold the event loop for half a minute (and this test past its timeout): refused unread,
    // while a health check in flight with it answers.
    const [hugeYaml, health] = await Promise.all([
      h.call('POST', '/api/admin/config/plan', {
        token: readToken,
        body: `${file()}# ${'x'.repeat(15 * 1024 * 1024)}\n`,
        headers: yaml,
      }),
      h.call('GET', '/health'),
    ])
    expect(hugeYaml.status).toBe(413)
    expect(health.status).toBe(200)
    const justUnder = `${file()}# ${'x'.repeat(250 * 1024)}\n`
    const res5 = await h.call('POST', '/api/admin/config/plan', { token: readToken, body: justUnder, headers: yaml })
    expect(res5.status).toBe(200)
    // Elsewhere the 1 MiB limit stands.
    const res3 = await h.call('POST', '/api/admin/routes', {
      token: writeToken,
      body: JSON.stringify({ route_pattern: '/x', service_name: 'x'.repeat(2 * 1024 * 1024), methods: {} }),
      headers: { 'content-type': 'application/json' },
    })
    expect(res3.status).toBe(413)
  })

  it('an admin token cannot apply a pruning file that names no console admin (409): nobody would be left', async () => {
    const before = await h.ops.admins.list()
    const noAdmins = file().replace(/console_admins:\n( {2}- email: .*\n)+/, '')
    const planned = await plan(noAdmins, readToken, '?prune=true')
    expect(planned.plan.changes.filter((c) => c.kind === 'console_admin' && c.action === 'delete').length).toBe(
      before.length,
    )
    const res = await apply(noAdmins, `?prune=true&expected_fingerprint=${planned.fingerprint}`)
    expect(res.status).toBe(409)
    expect((await json<ErrorEnvelope>(res)).message).toMatch(/last console admin/)
    expect(await h.ops.admins.list()).toEqual(before)
  })

  it('a console admin cannot apply a file that removes them (409); the list pages with a cursor', async () => {
    const withoutMe = file().replace(`  - email: ${admin.email}\n`, '')
    const planned = await plan(withoutMe, readToken, '?prune=true')
    expect(planned.plan.changes.some((c) => c.kind === 'console_admin' && c.action === 'delete')).toBe(true)
    const res = await apply(withoutMe, `?prune=true&expected_fingerprint=${planned.fingerprint}`, admin.token)
    expect(res.status).toBe(409)

    // Two more change sets, then page through them one at a time.
    for (const rpm of [300, 400]) {
      const next = file().replace('requests_per_minute: 100', `requests_per_minute: ${rpm}`)
      const p = await plan(next)
      expect((await apply(next, `?expected_fingerprint=${p.fingerprint}`)).status).toBe(200)
    }
    const seen: string[] = []
    let cursor: string | null = null
    for (let page = 0; page < 10; page++) {
      const q: string = cursor === null ? '?limit=1' : `?limit=1&cursor=${cursor}`
      const list: ConfigChangeSetList = await json<ConfigChangeSetList>(
        await h.call('GET', `/api/admin/config/changesets${q}`, { token: readToken }),
      )
      expect(list.changesets.length).toBeLessThanOrEqual(1)
      seen.push(...list.changesets.map((c) => c.id))
      cursor = list.next_cursor
      if (cursor === null) break
    }
    expect(seen).toHaveLength(3)
    expect(new Set(seen).size).toBe(3)
    const all = await json<ConfigChangeSetList>(
      await h.call('GET', '/api/admin/config/changesets', { token: readToken }),
    )
    expect(all.changesets.map((c) => c.id)).toEqual(seen)
    expect(all.changesets.map((c) => c.updates)).toEqual([1, 1, 0])

    const unknown = await h.call('GET', '/api/admin/config/changesets?cursor=nope', { token: readToken })
    expect(unknown.status).toBe(400)
    const missing = await h.call('GET', `/api/admin/config/changesets/${crypto.randomUUID()}`, { token: readToken })
    expect(missing.status).toBe(404)
  })
})
