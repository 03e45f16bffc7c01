import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { digestApiKey, sealerFromConfig } from '@gatekeeper/crypto'
import { parseConfigText } from '@gatekeeper/db/config-as-code'
import type { AuditEntryWire, ClientWire, PermissionWire, RouteWire } from '@gatekeeper/models'
import { describe, expect, it } from 'vitest'
import { cliEnv, cliJson, runCli, useCliDatabase } from './support/cli'
import { ALL_PLAINTEXT, ORIGINAL, useOriginalDatabase } from './support/original'
import { query } from './support/sql'

type Tally = { created: number; updated: number; unchanged: number; skipped: number }
type Report = {
  dry_run: boolean
  counts: Record<'routes' | 'clients' | 'permissions' | 'rate_limits' | 'console_admins', Tally>
  problems: Array<{ entity: string; id: string; message: string }>
}

const t = (created: number, updated: number, unchanged: number, skipped: number): Tally => ({
  created,
  updated,
  unchanged,
  skipped,
})

/** What the first import of the sample original creates, and skips (the broken route and its permission). */
const FIRST_IMPORT = {
  routes: t(2, 0, 0, 1),
  clients: t(4, 0, 0, 0),
  permissions: t(3, 0, 0, 1),
  rate_limits: t(1, 0, 0, 0),
  console_admins: t(2, 0, 0, 0),
}

const original = useOriginalDatabase()
const { db: ours, env } = useCliDatabase()

const configVersion = async () =>
  (await query<{ v: string }>(ours.url, 'SELECT version::text AS v FROM config_state'))[0]?.v
const auditCount = async () =>
  (await query<{ n: string }>(ours.url, 'SELECT count(*)::text AS n FROM admin_audit_log'))[0]?.n

describe('import-original', () => {
  it('--dry-run reports what it would do and writes nothing', async () => {
    const versionBefore = await configVersion()
    const report = await cliJson<Report>(['import-original', '--from', original.url, '--dry-run'], env)
    expect(report.dry_run).toBe(true)
    expect(report.counts).toEqual(FIRST_IMPORT)
    expect(await configVersion()).toBe(versionBefore)
    expect(await auditCount()).toBe('0')
    for (const table of [
      'routes',
      'clients',
      'client_credentials',
      'client_permissions',
      'rate_limits',
      'console_admins',
    ]) {
      expect(await query(ours.url, `SELECT 1 FROM ${table}`), table).toEqual([])
    }
  })

  const reviewFile = path.join(mkdtempSync(path.join(tmpdir(), 'gk-import-')), 'import.yaml')

  it('--to-file writes the configuration after the import as a config file, and nothing to the database', async () => {
    const versionBefore = await configVersion()
    const report = await cliJson<Report & { to_file: string }>(
      ['import-original', '--from', original.url, '--to-file', reviewFile, '--json'],
      env,
    )
    expect(report.to_file).toBe(reviewFile)
    expect(report.dry_run).toBe(true)
    expect(report.counts.clients).toEqual(t(4, 0, 0, 0))
    expect(report.problems.map((p) => p.id)).toContain(ORIGINAL.routes.broken)
    // Nothing written: no version, no audit entry, no row.
    expect(await configVersion()).toBe(versionBefore)
    expect(await auditCount()).toBe('0')
    for (const table of ['routes', 'clients', 'client_credentials', 'console_admins']) {
      expect(await query(ours.url, `SELECT 1 FROM ${table}`), table).toEqual([])
    }

    const text = readFileSync(reviewFile, 'utf8')
    for (const plaintext of ALL_PLAINTEXT) expect(text).not.toContain(plaintext)
    const parsed = parseConfigText(text)
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
    const doc = parsed.document
    expect(doc.routes.map((r) => `${r.domain} ${r.route_pattern}`)).toEqual([
      '* /api/public',
      'api.example.com /api/items/*',
    ])
    expect(doc.clients).toHaveLength(4)
    // Credential ids would be new ones: left out; the kinds and key prefixes are there for review.
    expect(doc.clients.flatMap((c) => c.credentials).every((cred) => cred.id === undefined)).toBe(true)
    expect(doc.clients.flatMap((c) => c.credentials.map((cred) => cred.prefix))).toContain('Lk9x')
    expect(doc.permissions).toHaveLength(3)
    expect(doc.rate_limits).toEqual([expect.objectContaining({ requests_per_day: 5000 })])
    expect(doc.console_admins.map((a) => a.email).sort()).toEqual(['ops@example.com', 'second@example.com'])

    const text2 = await runCli(['import-original', '--from', original.url, '--to-file', reviewFile], env)
    expect(text2.code).toBe(0)
    expect(text2.stdout + text2.stderr).toMatch(/wrote .*import\.yaml: 2 routes, 4 clients, 3 permissions/)
    expect(readFileSync(reviewFile, 'utf8')).toBe(text)
  })

  it('imports with ids preserved, keys digested, secrets sealed, and reports what it could not take', async () => {
    const report = await cliJson<Report>(['import-original', '--from', original.url], env)
    expect(report.dry_run).toBe(false)
    expect(report.counts).toEqual(FIRST_IMPORT)
    const problems = report.problems.map((p) => `${p.entity} ${p.id}`)
    expect(problems).toContain(`routes ${ORIGINAL.routes.broken}`)
    expect(problems).toContain(`permissions ${ORIGINAL.permissions.bothBroken}`)
    const lookalike = report.problems.find((p) => p.id === ORIGINAL.clients.gkLookalike)
    expect(lookalike?.message).toMatch(/starts with gk_ .* rotate this client's key/)

    const routes = await cliJson<RouteWire[]>(['route', 'list'], env)
    expect(routes.map((r) => r.route_id).sort()).toEqual([ORIGINAL.routes.public, ORIGINAL.routes.items])
    const items = routes.find((r) => r.route_id === ORIGINAL.routes.items)
    expect(items).toMatchObject({
      route_pattern: '/api/items/*',
      domain: 'api.example.com',
      methods: { GET: { auth_required: true, auth_type: 'api_key' }, POST: { auth_required: true, auth_type: 'hmac' } },
      created_at: ORIGINAL.createdAt + 1,
    })
    const clients = await cliJson<ClientWire[]>(['client', 'list'], env)
    expect(
      Object.fromEntries(clients.map((c) => [c.client_id, [c.status, c.api_key_masked, c.has_shared_secret]])),
    ).toEqual({
      [ORIGINAL.clients.both]: ['active', `Lk9x\u2026${ORIGINAL.keys.both.slice(-4)}`, true],
      [ORIGINAL.clients.keyOnly]: ['suspended', `lega\u2026${ORIGINAL.keys.keyOnly.slice(-4)}`, false],
      [ORIGINAL.clients.secretOnly]: ['active', null, true],
      [ORIGINAL.clients.gkLookalike]: ['active', null, true],
    })
    const permissions = await cliJson<PermissionWire[]>(['permission', 'list'], env)
    expect(permissions.map((p) => p.permission_id).sort()).toEqual(
      [ORIGINAL.permissions.bothItems, ORIGINAL.permissions.keyOnlyPublic, ORIGINAL.permissions.secretOnlyItems].sort(),
    )
    expect(await cliJson(['rate-limit', 'list'], env)).toMatchObject([
      { client_id: ORIGINAL.clients.both, requests_per_day: 5000, requests_per_minute: null },
    ])
    const admins = await cliJson<Array<{ email: string }>>(['admin', 'list'], env)
    expect(admins.sort((a, b) => a.email.localeCompare(b.email))).toMatchObject([
      // The original's id came from the provisioning webhook: it names the admin for user.deleted, and the
      // first sign-in with the verified email binds the /me uuid (import-original-console.int.test.ts).
      { email: 'ops@example.com', aegis_user_id: null, aegis_webhook_user_id: 'aegis-user-1', binding: 'pending' },
      { email: 'second@example.com', aegis_user_id: null, aegis_webhook_user_id: null, binding: 'pending' },
    ])

    // At rest: digests, sealed secrets that open only with the master key for their own client.
    const creds = await query<{
      client_id: string
      kind: string
      api_key_digest: string | null
      secret_sealed: string | null
      legacy: boolean
    }>(ours.url, 'SELECT client_id::text, kind, api_key_digest, secret_sealed, legacy FROM client_credentials')
    expect(creds.every((c) => c.legacy)).toBe(true)
    expect(creds.find((c) => c.client_id === ORIGINAL.clients.both && c.kind === 'api_key')?.api_key_digest).toBe(
      digestApiKey(ORIGINAL.keys.both),
    )
    const sealed =
      creds.find((c) => c.client_id === ORIGINAL.clients.both && c.kind === 'shared_secret')?.secret_sealed ?? ''
    const built = sealerFromConfig({ key: env.GATEKEEPER_MASTER_KEY ?? '' })
    if (!built.ok) throw new Error(built.error)
    expect(built.sealer.unseal(sealed, ORIGINAL.clients.both)).toEqual({ ok: true, plaintext: ORIGINAL.secrets.both })
    expect(built.sealer.unseal(sealed, ORIGINAL.clients.secretOnly).ok).toBe(false)

    const everything = JSON.stringify(
      await Promise.all(
        ['clients', 'client_credentials', 'admin_audit_log', 'routes', 'client_permissions'].map((t) =>
          query(ours.url, `SELECT * FROM ${t}`),
        ),
      ),
    )
    for (const plaintext of ALL_PLAINTEXT) expect(everything).not.toContain(plaintext)

    const audit = await cliJson<AuditEntryWire[]>(['audit', '--limit', '500'], env)
    expect(audit).toHaveLength(2 + 4 + 3 + 1 + 2)
    expect(new Set(audit.map((e) => e.action))).toEqual(
      new Set(['route.import', 'client.import', 'permission.import', 'rate_limit.import', 'console_admin.import']),
    )
    expect(audit.every((e) => e.actor_type === 'cli')).toBe(true)
  })

  it('the reviewed file is what the import then made: diff --prune reports no change', async () => {
    const diff = await runCli(['diff', '-f', reviewFile, '--prune'], env)
    expect(diff.stdout).toMatch(/No changes/)
    expect(diff.code).toBe(0)
  })

  it('a second import changes nothing: every row unchanged, no config version bump, no audit entry', async () => {
    const version = await configVersion()
    const audits = await auditCount()
    const report = await cliJson<Report>(['import-original', '--from', original.url], env)
    expect(report.counts).toEqual({
      routes: t(0, 0, 2, 1),
      clients: t(0, 0, 4, 0),
      permissions: t(0, 0, 3, 1),
      rate_limits: t(0, 0, 1, 0),
      console_admins: t(0, 0, 2, 0),
    })
    expect(await configVersion()).toBe(version)
    expect(await auditCount()).toBe(audits)
  })

  it('picks up later changes in the original, and keeps a key rotated here since', async () => {
    await query(
      original.url,
      "UPDATE clients SET client_name = 'Renamed', shared_secret = 'a-new-secret-value-1' WHERE client_id = $1",
      [ORIGINAL.clients.both],
    )
    await query(
      original.url,
      `UPDATE routes SET methods = '{"GET": {"auth_required": true, "auth_type": "hmac"}}' WHERE route_id = $1`,
      [ORIGINAL.routes.public],
    )
    await query(original.url, 'UPDATE rate_limits SET requests_per_day = 7000')
    await query(original.url, "UPDATE clients SET api_key = 'changed-in-the-original-0001' WHERE client_id = $1", [
      ORIGINAL.clients.keyOnly,
    ])
    const rotated = await cliJson<{ api_key: string }>(
      ['client', 'rotate', ORIGINAL.clients.keyOnly, '--credential', 'api_key', '--yes'],
      env,
    )

    const dry = await cliJson<Report>(['import-original', '--from', original.url, '--dry-run'], env)
    const report = await cliJson<Report>(['import-original', '--from', original.url], env)
    expect(dry.counts).toEqual(report.counts)
    expect(report.counts.routes).toEqual(t(0, 1, 1, 1))
    expect(report.counts.clients).toEqual(t(0, 1, 3, 0))
    expect(report.counts.rate_limits).toEqual(t(0, 1, 0, 0))

    const both = await cliJson<ClientWire>(['client', 'show', ORIGINAL.clients.both], env)
    expect(both.client_name).toBe('Renamed')
    const keyOnlyCreds = await query<{ api_key_digest: string }>(
      ours.url,
      "SELECT api_key_digest FROM client_credentials WHERE client_id = $1 AND kind = 'api_key' AND expires_at IS NULL",
      [ORIGINAL.clients.keyOnly],
    )
    expect(keyOnlyCreds).toEqual([{ api_key_digest: digestApiKey(rotated.api_key) }])
    const updates = await cliJson<AuditEntryWire[]>(['audit', '--action', 'client.import_update'], env)
    expect(updates.map((e) => e.entity_id)).toEqual([ORIGINAL.clients.both])
  })

  it("db migrate and db reset refuse the original's own database (an unchanged .env points there), changing nothing", async () => {
    const before = await query(original.url, 'SELECT count(*)::int AS n FROM clients')
    const envThere = cliEnv(original.url)
    for (const args of [
      ['db', 'migrate'],
      ['db', 'reset', '--yes'],
    ]) {
      const result = await runCli(args, envThere)
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr).toMatch(/original \(Python\) gatekeeper's tables \(client_permissions, clients, routes\)/)
      expect(result.stderr).toMatch(/gatekeeper import-original --from/)
    }
    expect(await query(original.url, 'SELECT count(*)::int AS n FROM clients')).toEqual(before)
    expect(await query(original.url, "SELECT to_regclass('drizzle.__drizzle_migrations') AS t")).toEqual([{ t: null }])
    expect(await query(original.url, "SELECT to_regclass('config_state') AS t")).toEqual([{ t: null }])
  })

  it('refuses a database that is not an original deployment, and an unreachable one', async () => {
    const notOriginal = await runCli(
      ['import-original', '--from', ours.url.replace(/gk_test_\w+/, 'postgres'), '--dry-run'],
      env,
    )
    expect(notOriginal.code).toBe(2)
    expect(notOriginal.stderr).toMatch(/not an original gatekeeper database/)
    const down = await runCli(['import-original', '--from', 'postgres://postgres@127.0.0.1:1/x'], env)
    expect(down.code).toBe(6)
    expect(down.stderr).toMatch(/cannot connect to the original database/)
  })
})
