import type {
  ClientCreatedWire,
  ClientDetailWire,
  ClientUsageWire,
  ClientWire,
  CredentialWire,
  RouteWire,
} from '@gatekeeper/models'
import { describe, expect, it } from 'vitest'
import { cliJson, createRoute, expectOneLineError, runCli, useCliDatabase } from './support/cli'
import { query } from './support/sql'

// The key lifecycle from the terminal: metadata, a credential's own IP allowlist, the credentials and last use in
// `client show`, `client list --unused-for` and `client usage`.

const { db, env } = useCliDatabase()

describe('client lifecycle in the CLI', () => {
  it('--metadata on create and update (null clears); show prints metadata and the credentials, never a secret', async () => {
    const created = await cliJson<ClientCreatedWire>(
      ['client', 'create', '--name', 'meta', '--api-key', '--shared-secret', '--metadata', '{"plan":"gold","seats":3}'],
      env,
    )
    expect(created.metadata).toEqual({ plan: 'gold', seats: 3 })
    const shown = await runCli(['client', 'show', 'meta'], env)
    expect(shown.stdout).toMatch(/Metadata:\s+\{"plan":"gold","seats":3\}/)
    expect(shown.stdout).toMatch(/Last used:\s+never/)
    expect(shown.stdout).toMatch(/CREDENTIAL ID\s+KIND\s+STATE\s+PREFIX/)
    expect(shown.stdout).toMatch(/api_key\s+current\s+gk_/)
    expect(shown.stdout).toMatch(/shared_secret\s+current\s+-/)
    expect(shown.stdout).not.toContain(created.shared_secret ?? 'x')
    expect(shown.stdout).not.toContain(created.api_key ?? 'x')
    const detail = await cliJson<ClientDetailWire>(['client', 'show', 'meta'], env)
    expect(detail.credentials?.map((c) => c.kind)).toEqual(['api_key', 'shared_secret'])

    const updated = await cliJson<ClientWire>(['client', 'update', 'meta', '--metadata', '{"plan":"silver"}'], env)
    expect(updated.metadata).toEqual({ plan: 'silver' })
    const cleared = await cliJson<ClientWire>(['client', 'update', 'meta', '--metadata', 'null'], env)
    expect(cleared.metadata).toBeNull()
  })

  it.each([
    [['client', 'create', '--name', 'm2', '--api-key', '--metadata', '{oops'], /--metadata: not JSON/],
    [['client', 'create', '--name', 'm2', '--api-key', '--metadata', '[1]'], /expected a JSON object/],
    [
      ['client', 'create', '--name', 'm2', '--api-key', '--metadata', JSON.stringify({ x: 'y'.repeat(5000) })],
      /at most 4096/,
    ],
  ])('refuses bad metadata with one line (%#)', async (args, message) => {
    expect(expectOneLineError(await runCli(args, env))).toMatch(message)
  })

  it("allow-ip --credential sets and clears one credential's own list", async () => {
    await cliJson<ClientCreatedWire>(['client', 'create', '--name', 'cred-ip', '--api-key'], env)
    const set = await cliJson<CredentialWire>(
      ['client', 'allow-ip', 'cred-ip', '--credential', 'api_key', '--set', '203.0.113.7', '2001:db8::/48'],
      env,
    )
    expect(set).toMatchObject({ kind: 'api_key', ip_allowlist: ['203.0.113.7', '2001:db8::/48'] })
    const [row] = await query<{ ip_allowlist: string[] | null }>(
      db.url,
      'SELECT ip_allowlist FROM client_credentials WHERE id = $1',
      [set.credential_id],
    )
    expect(row?.ip_allowlist).toEqual(['203.0.113.7', '2001:db8::/48'])
    expect((await runCli(['client', 'show', 'cred-ip'], env)).stdout).toContain('203.0.113.7, 2001:db8::/48')
    const byId = await runCli(['client', 'allow-ip', 'cred-ip', '--credential', set.credential_id, '--clear'], env)
    expect(byId.stdout).toMatch(/has no list of its own/)
    expect(
      expectOneLineError(
        await runCli(['client', 'allow-ip', 'cred-ip', '--credential', 'shared_secret', '--clear'], env),
      ),
    ).toMatch(/has no current shared_secret/)
  })

  it('list --unused-for: never used and old, or not used since; usage prints hours and totals', async () => {
    const old = await cliJson<ClientCreatedWire>(['client', 'create', '--name', 'dormant', '--api-key'], env)
    const busy = await cliJson<ClientCreatedWire>(['client', 'create', '--name', 'busy', '--api-key'], env)
    await query(db.url, "UPDATE clients SET created_at = now() - interval '200 days' WHERE id = ANY($1)", [
      [old.client_id, busy.client_id],
    ])
    await query(db.url, "UPDATE client_credentials SET last_used_at = now() - interval '1 day' WHERE client_id = $1", [
      busy.client_id,
    ])
    const unused = await cliJson<ClientWire[]>(['client', 'list', '--unused-for', '90d'], env)
    expect(unused.map((c) => c.client_name)).toContain('dormant')
    expect(unused.map((c) => c.client_name)).not.toContain('busy')
    expect(unused.map((c) => c.client_name)).not.toContain('meta') // created just now
    const table = await runCli(['client', 'list', '--unused-for', '90d'], env)
    expect(table.stdout).toMatch(/dormant.*never/)
    expect(expectOneLineError(await runCli(['client', 'list', '--unused-for', 'a while'], env))).toMatch(/unused_for/)

    const hour = Math.floor(Date.now() / 3_600_000) * 3600
    await query(
      db.url,
      `INSERT INTO client_usage (client_id, hour, outcome, reason, n) VALUES
       ($1, to_timestamp($2), 'allowed', '', 40), ($1, to_timestamp($2), 'refused', 'no_permission', 3),
       ($1, to_timestamp($2), 'rate_limited', '', 2)`,
      [busy.client_id, hour],
    )
    const usage = await cliJson<ClientUsageWire>(['client', 'usage', 'busy', '--window', '24h'], env)
    expect(usage.totals).toEqual({ allowed: 40, refused: 3, rate_limited: 2 })
    expect(usage.buckets).toHaveLength(24)
    const printed = await runCli(['client', 'usage', 'busy'], env)
    expect(printed.stdout).toMatch(/HOUR \(UTC\)\s+ALLOWED\s+REFUSED\s+RATE LIMITED/)
    expect(printed.stdout).toMatch(/\s40\s+3\s+2\s+no_permission 3/)
    expect(printed.stdout).toMatch(/Allowed:\s+40/)
    const month = await runCli(['client', 'usage', 'busy', '--window', '30d'], env)
    expect(month.stdout).toMatch(/DAY \(UTC\)/)
    expect((await runCli(['client', 'usage', 'dormant'], env)).stdout).toMatch(/no requests in the last 24h/)
    expect(expectOneLineError(await runCli(['client', 'usage', 'busy', '--window', '7d'], env))).toMatch(/--window/)
  })

  it('route --metadata-header sets the header; none removes it', async () => {
    const created = await createRoute(
      env,
      { pattern: '/m/*', service: 'm', methods: 'GET=api_key' },
      '--metadata-header',
      'X-Client-Metadata',
    )
    expect(created.metadata_header).toBe('X-Client-Metadata')
    const updated = await cliJson<RouteWire>(['route', 'update', created.route_id, '--metadata-header', 'none'], env)
    expect(updated.metadata_header).toBeNull()
    expect(
      expectOneLineError(
        await runCli(['route', 'update', created.route_id, '--metadata-header', 'X-Auth-Client'], env),
      ),
    ).toMatch(/metadata_header/)
  })
})
