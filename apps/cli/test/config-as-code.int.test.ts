import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createSealer, deriveKeyId } from '@gatekeeper/crypto'
import { type AdminOps, createAdminOps } from '@gatekeeper/db/admin'
import type { ClientCreatedWire } from '@gatekeeper/models'
import { ORDERS_FILE } from '@gatekeeper/testkit/config-files'
import { beforeAll, describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'
import { runCli, useCliDatabase, useDbHandle } from './support/cli'

const actor = { actor: 'config-test', actorType: 'cli' as const }
const { db, env } = useCliDatabase()
const handle = useDbHandle(db)
const dir = mkdtempSync(path.join(tmpdir(), 'gk-config-'))
let ops: AdminOps
let billing: ClientCreatedWire

beforeAll(async () => {
  const key = randomBytes(32)
  ops = createAdminOps({ db: handle.db, sealer: createSealer({ active: { id: deriveKeyId(key), key } }) })
  const route = await ops.routes.create(actor, {
    route_pattern: '/orders/*',
    domain: 'api.example.com',
    service_name: 'orders',
    methods: { GET: { auth_required: true, auth_type: 'api_key' }, POST: { auth_required: true, auth_type: 'hmac' } },
  })
  await ops.routes.create(actor, {
    route_pattern: '/health',
    service_name: 'ops',
    methods: { GET: { auth_required: false } },
  })
  billing = await ops.clients.create(actor, { client_name: 'billing', api_key: true, shared_secret: true })
  await ops.permissions.grant(actor, {
    client_id: billing.client_id,
    route_id: route.route_id,
    allowed_methods: ['GET'],
  })
  await ops.rateLimits.set(actor, billing.client_id, { requests_per_day: 10_000 })
  await ops.admins.add(actor, { email: 'ops@example.com' })
})

describe('gatekeeper export, validate, diff', () => {
  it('export is byte-identical for the same state, secret-free, valid, and diff against it exits 0', async () => {
    const file = path.join(dir, 'live.yaml')
    const written = await runCli(['export', '-o', file], env)
    expect(written.code).toBe(0)
    expect(written.stderr).toMatch(
      /wrote .*live\.yaml: 2 routes, 1 clients, 1 permissions, 1 rate limits, 1 console admins/,
    )
    const text = readFileSync(file, 'utf8')
    const again = await runCli(['export'], env)
    expect(again.code).toBe(0)
    expect(again.stdout).toBe(text)
    expect(text).toContain(`client_name: billing`)
    expect(text).not.toContain(billing.api_key)
    expect(text).not.toContain(billing.shared_secret)

    const valid = await runCli(['validate', '-f', file], env)
    expect(valid.code).toBe(0)
    expect(valid.stdout).toMatch(/is valid: 2 routes, 1 clients/)

    const diff = await runCli(['diff', '-f', file, '--prune'], env)
    expect(diff.stdout.trim()).toBe('No changes: the live configuration matches the file.')
    expect(diff.code).toBe(0)

    const json = await runCli(['export', '--format', 'json'], env)
    const jsonFile = path.join(dir, 'live.json')
    writeFileSync(jsonFile, json.stdout)
    expect((await runCli(['diff', '-f', jsonFile], env)).code).toBe(0)
  })

  it('a changed file: diff prints the plan and exits 2; the database is untouched', async () => {
    const text = (await runCli(['export'], env)).stdout
    // Edited as a document, the way a person edits the file: one route renamed, one dropped, a client
    // and its grant added, a limit raised.
    const edited = parse(text) as {
      routes: Array<{ route_pattern: string; service_name: string }>
      clients: unknown[]
      permissions: unknown[]
      rate_limits: Array<{ requests_per_day: number }>
    }
    edited.routes = edited.routes.filter((r) => r.route_pattern !== '/health')
    for (const r of edited.routes) r.service_name = 'orders-v2'
    edited.clients.push({ client_name: 'mobile', credentials: [{ kind: 'shared_secret' }] })
    edited.permissions.push({
      client_name: 'mobile',
      domain: 'api.example.com',
      route_pattern: '/orders/*',
      allowed_methods: ['POST'],
    })
    for (const l of edited.rate_limits) l.requests_per_day = 20_000
    const changed = stringify(edited)
    const file = path.join(dir, 'changed.yaml')
    writeFileSync(file, changed)
    expect((await runCli(['validate', '-f', file], env)).code).toBe(0)

    const diff = await runCli(['diff', '-f', file], env)
    expect(diff.code).toBe(2)
    const lines = diff.stdout.split('\n')
    expect(lines).toEqual(
      expect.arrayContaining([
        '~ update route api.example.com /orders/*',
        '    service_name: "orders" → "orders-v2"',
        '+ create client mobile',
        '    credentials: ["shared_secret"]',
        '+ create permission mobile → api.example.com /orders/*',
        '    allowed_methods: ["POST"]',
        '~ update rate limit billing',
        '    requests_per_day: 10000 → 20000',
        'Plan: 2 to create, 2 to update, 0 to delete.',
        '    route * /health',
      ]),
    )
    const pruned = await runCli(['diff', '-f', file, '--prune'], env)
    expect(pruned.code).toBe(2)
    expect(pruned.stdout).toContain('- delete route * /health')
    expect(pruned.stdout).toContain('Plan: 2 to create, 2 to update, 1 to delete.')

    // Read-only: the live state did not move.
    expect((await runCli(['export'], env)).stdout).toBe(text)
  })

  it('an invalid file: validate prints file:line:column problems and exits 2; diff exits 1', async () => {
    const file = path.join(dir, 'bad.yaml')
    writeFileSync(
      file,
      // Line 14: billing's grant asks for DELETE, which the route does not configure; line 15: a second grant
      // names a client the file does not have.
      ORDERS_FILE.replace('    credentials: [{ kind: api_key }]\n', '').replace(
        '    allowed_methods: [GET]\n',
        '    allowed_methods: [GET, DELETE]\n  - client_name: nobody\n    domain: api.example.com\n    route_pattern: /orders/*\n    allowed_methods: [GET]\n',
      ),
    )
    const validate = await runCli(['validate', '-f', file], env)
    expect(validate.code).toBe(2)
    expect(validate.stderr.trimEnd().split('\n')).toEqual([
      `${file}:14:22: permissions[0].allowed_methods: DELETE not configured on route api.example.com /orders/* (it has GET)`,
      `${file}:15:18: permissions[1].client_name: no client named "nobody" in clients`,
      `gatekeeper: ${file} is not valid: 2 problems`,
    ])
    const json = await runCli(['validate', '-f', file, '--json'], env)
    expect(json.code).toBe(2)
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: false, problems: [{ line: 14 }, { line: 15 }] })

    const diff = await runCli(['diff', '-f', file], env)
    expect(diff.code).toBe(1)
    expect(diff.stdout).toBe('')

    const missing = await runCli(['validate', '-f', path.join(dir, 'nope.yaml')], env)
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/cannot read .*nope\.yaml: no such file/)
  })

  it('diff refuses to plan while live clients share a name', async () => {
    const file = path.join(dir, 'live-twins.yaml')
    expect((await runCli(['export', '-o', file], env)).code).toBe(0)
    const twin = await ops.clients.create(actor, { client_name: 'billing', api_key: true })
    try {
      const exported = await runCli(['export'], env)
      expect(exported.stderr).toMatch(/several clients share the name "billing"/)
      const diff = await runCli(['diff', '-f', file], env)
      expect(diff.code).toBe(1)
      expect(diff.stderr).toMatch(/cannot plan: several live clients share the name "billing"/)
    } finally {
      await ops.clients.remove(actor, twin.client_id)
    }
  })
})
