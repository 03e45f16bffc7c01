import type { ClientCreatedWire, ClientWire } from '@gatekeeper/models'
import { describe, expect, it } from 'vitest'
import { cliJson, expectOneLineError, runCli, useCliDatabase } from './support/cli'
import { query } from './support/sql'

const { db, env } = useCliDatabase()

async function stored(id: string): Promise<string[] | null> {
  const [row] = await query<{ ip_allowlist: string[] | null }>(
    db.url,
    'SELECT ip_allowlist FROM clients WHERE id = $1',
    [id],
  )
  return row?.ip_allowlist ?? null
}

describe('client IP allowlist', () => {
  it('create --allow-ip (repeatable) stores the list; show prints it; allow-ip --set replaces it, --clear removes it', async () => {
    const created = await cliJson<ClientCreatedWire>(
      [
        'client',
        'create',
        '--name',
        'batch',
        '--api-key',
        '--allow-ip',
        '203.0.113.0/24',
        '--allow-ip',
        '2001:db8::/32',
      ],
      env,
    )
    expect(created.ip_allowlist).toEqual(['203.0.113.0/24', '2001:db8::/32'])
    expect(await stored(created.client_id)).toEqual(['203.0.113.0/24', '2001:db8::/32'])
    const shown = await runCli(['client', 'show', 'batch'], env)
    expect(shown.stdout).toMatch(/IP allowlist:\s+203\.0\.113\.0\/24, 2001:db8::\/32/)

    const set = await runCli(['client', 'allow-ip', 'batch', '--set', '10.0.0.0/8', '192.0.2.7'], env)
    expect(set.code).toBe(0)
    expect(set.stdout).toMatch(/accepted only from 10\.0\.0\.0\/8, 192\.0\.2\.7/)
    expect(await stored(created.client_id)).toEqual(['10.0.0.0/8', '192.0.2.7'])

    const cleared = await cliJson<ClientWire>(['client', 'allow-ip', 'batch', '--clear'], env)
    expect(cleared.ip_allowlist).toBeNull()
    expect(await stored(created.client_id)).toBeNull()
    expect((await runCli(['client', 'show', 'batch'], env)).stdout).toMatch(/IP allowlist:\s+any IP/)
  })

  it.each([
    [['client', 'allow-ip', 'batch'], /exactly one of --set <cidr...> or --clear/],
    [['client', 'allow-ip', 'batch', '--set', '10.0.0.0/8', '--clear'], /exactly one of --set <cidr...> or --clear/],
    [['client', 'allow-ip', 'batch', '--set', '10.0.0.0/33'], /not an IPv4\/IPv6 address or CIDR/],
    [['client', 'create', '--name', 'y', '--api-key', '--allow-ip', 'office'], /not an IPv4\/IPv6 address or CIDR/],
  ])('%j fails with one line and changes nothing', async (args, message) => {
    const result = await runCli(args, env)
    expect(result.code).not.toBe(0)
    expect(expectOneLineError(result)).toMatch(message)
    const [row] = await query<{ n: string }>(db.url, "SELECT count(*) AS n FROM clients WHERE client_name = 'y'")
    expect(Number(row?.n)).toBe(0)
  })
})
