import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { ClientCreatedWire, ClientDetailWire, ClientWire, PermissionWire, RouteWire } from '@gatekeeper/models'
import { createTestDatabase, type TestDatabase } from '@gatekeeper/testkit/postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CliEnv, cliEnv, cliJson, createRoute, expectOneLineError, runBinary, runCli } from './support/cli'

const COMMANDS = [
  [],
  ['route'],
  ...['create', 'list', 'show', 'update', 'delete'].map((c) => ['route', c]),
  ['client'],
  ...[
    'create',
    'list',
    'show',
    'update',
    'suspend',
    'activate',
    'revoke',
    'expire',
    'allow-ip',
    'usage',
    'rotate',
    'delete',
  ].map((c) => ['client', c]),
  ['permission'],
  ...['grant', 'list', 'revoke'].map((c) => ['permission', c]),
  ['rate-limit'],
  ...['set', 'list', 'clear', 'usage'].map((c) => ['rate-limit', c]),
  ['admin'],
  ...['add', 'list', 'remove', 'sign-in-link'].map((c) => ['admin', c]),
  ['admin', 'token'],
  ...['create', 'list', 'revoke'].map((c) => ['admin', 'token', c]),
  ['audit'],
  ['db'],
  ...['migrate', 'reset', 'verify'].map((c) => ['db', c]),
  ['setup-test-data'],
  ['sign'],
  ['import-original'],
  ['export'],
  ['validate'],
  ['diff'],
  ['apply'],
  ['start'],
]

describe('--help', () => {
  it.each(COMMANDS.map((c) => [c.join(' ') || '(root)', c]))('works for %s without a database', async (_, command) => {
    const result = await runCli([...command, '--help'], cliEnv(undefined))
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`Usage: gatekeeper${command.length ? ` ${command.join(' ')}` : ''}`)
    // Every command that reads or writes offers --json (export writes the file itself, --format json).
    const leaf =
      (command.length >= 2 && command.join(' ') !== 'admin token') ||
      ['audit', 'setup-test-data', 'sign', 'import-original', 'validate', 'diff', 'apply'].includes(command[0] ?? '')
    if (leaf && command[0] !== 'start') expect(result.stdout).toContain('--json')
  })

  it('a group without a subcommand shows its help on stderr and exits 2', async () => {
    const result = await runCli(['route'], cliEnv(undefined))
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('Usage: gatekeeper route')
  })
})

/** Every management script the original system's README names, which docs/migrating-from-flask.md must map. */
const ORIGINAL_SCRIPTS = [
  'create_route.py',
  'list_routes.py',
  'update_route.py',
  'delete_route.py',
  'create_client.py',
  'list_clients.py',
  'show_client.py',
  'delete_client.py',
  'grant_permission.py',
  'list_permissions.py',
  'revoke_permission.py',
  'set_rate_limit.py',
  'list_rate_limits.py',
  'setup_test_data.py',
  'setup_database.py',
  'recreate_database.py',
  'verify_schema.py',
  'setup_production_test_data.py',
]

/** The script table of the migration guide: [original script, `gatekeeper …` command] per row. */
function scriptTable(): Array<[string, string]> {
  const text = readFileSync(new URL('../../../docs/migrating-from-flask.md', import.meta.url), 'utf8')
  const rows: Array<[string, string]> = []
  for (const line of text.split('\n')) {
    const match = /^\| `(?:dev_)?scripts\/([a-z_]+\.py)[^`]*` \| `(gatekeeper [^`]+)`/.exec(line)
    if (match?.[1] !== undefined && match[2] !== undefined) rows.push([match[1], match[2]])
  }
  return rows
}

describe("the migration guide's script table", () => {
  it('maps every script of the original', () => {
    expect(new Set(scriptTable().map(([script]) => script))).toEqual(new Set(ORIGINAL_SCRIPTS))
  })

  it.each(scriptTable())('%s: `%s` exists with the flags the guide gives', async (_script, command) => {
    const words = command.split(' ')
    const end = words.findIndex((w) => /^[-<[]/.test(w))
    const name = end === -1 ? words.slice(1) : words.slice(1, end)
    const result = await runCli([...name, '--help'], cliEnv(undefined))
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`Usage: gatekeeper ${name.join(' ')}`)
    for (const flag of command.match(/--[a-z-]+/g) ?? []) expect(result.stdout).toContain(flag)
  })
})

describe('setup-test-data', () => {
  let db: TestDatabase
  let env: CliEnv
  beforeAll(async () => {
    db = await createTestDatabase()
    // A PATH without `gatekeeper` on it (the test runner's own PATH may have the checkout's bin).
    env = cliEnv(db.url, { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` })
  })
  afterAll(async () => {
    await db?.drop()
  })

  it('creates the three kinds of routes, two clients and their permissions, for any host with --domain *', async () => {
    const data = await cliJson<{
      routes: RouteWire[]
      clients: ClientCreatedWire[]
      permissions: PermissionWire[]
      checks: Array<{ command: string }>
    }>(['setup-test-data', '--domain', '*'], env, runBinary)
    expect(
      data.routes.map((r) => [r.domain, r.route_pattern, Object.values(r.methods).map((m) => m?.auth_type)]),
    ).toEqual([
      ['*', '/api/public', [null]],
      ['*', '/api/protected', ['api_key', 'api_key']],
      ['*', '/api/secure', ['hmac', 'hmac']],
    ])
    expect(data.clients[0]?.api_key).toMatch(/^gk_/)
    expect(data.clients[1]?.shared_secret).toMatch(/^gks_/)
    expect(data.permissions.map((p) => [p.client_id, p.route_pattern])).toEqual([
      [data.clients[0]?.client_id, '/api/protected'],
      [data.clients[1]?.client_id, '/api/secure'],
    ])
    // No `gatekeeper` on PATH: the printed signing line runs this very bundle (the binary above) by its absolute path.
    expect(data.checks.at(-1)?.command).toMatch(
      /^node \S*dist\/main\.js sign --client-id [0-9a-f-]{36} --secret-env GK_TEST_SECRET --method GET --url http:\/\/api\.example\.com\/api\/secure \| curl .* -H @-$/,
    )

    const human = await runCli(['setup-test-data', '--domain', '*'], env)
    expect(human.code).toBe(0)
    expect(human.stdout).toMatch(/export GK_TEST_SECRET=gks_/)
    expect(human.stdout).toContain('X-Original-Host: api.example.com')
  })

  it('run again, keeps one client of each name and hands out fresh credentials, the old ones stopped', async () => {
    const before = await cliJson<ClientWire[]>(['client', 'list'], env)
    const again = await cliJson<{ clients: ClientCreatedWire[] }>(['setup-test-data', '--domain', '*'], env)
    const after = await cliJson<ClientWire[]>(['client', 'list'], env)
    expect(after.map((c) => c.client_name).sort()).toEqual(['Test API key client', 'Test HMAC client'])
    expect(after.map((c) => c.client_id).sort()).toEqual(before.map((c) => c.client_id).sort())
    const key = again.clients[0]?.api_key ?? ''
    const shown = await cliJson<ClientDetailWire>(['client', 'show', 'Test API key client'], env)
    expect(shown.credentials?.map((c) => [c.kind, c.state, c.prefix])).toEqual([
      ['api_key', 'current', key.slice(0, 7)],
    ])
  })

  it('refuses to take over a route of the same path that is configured differently', async () => {
    await createRoute(env, {
      pattern: '/api/secure',
      domain: 'mine.example.com',
      service: 'real',
      methods: 'GET=public',
    })
    const result = await runCli(['setup-test-data', '--domain', 'mine.example.com'], env)
    expect(result.code).toBe(4)
    expect(expectOneLineError(result)).toMatch(/already exists with other methods .* choose another --domain/)
    const mine = (await cliJson<RouteWire[]>(['route', 'list', '--domain', 'mine.example.com'], env)).map(
      (r) => r.route_pattern,
    )
    expect(mine).toEqual(['/api/secure'])
  })
})
