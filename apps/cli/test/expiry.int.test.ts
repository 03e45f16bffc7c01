import type { ClientRotated } from '@gatekeeper/db/admin'
import type { ClientCreatedWire, ClientWire } from '@gatekeeper/models'
import { describe, expect, it } from 'vitest'
import { cliJson, expectOneLineError, runCli, useCliDatabase } from './support/cli'
import { query } from './support/sql'

const { db, env } = useCliDatabase()

const now = () => Math.floor(Date.now() / 1000)

describe('client expiry', () => {
  it('create --expires 30d sets the client expiry; show prints it', async () => {
    const before = now()
    const created = await cliJson<ClientCreatedWire>(
      ['client', 'create', '--name', 'contractor', '--api-key', '--expires', '30d', '--credentials-expire', '7d'],
      env,
    )
    const after = now()
    expect(created.expires_at).toBeGreaterThanOrEqual(before + 30 * 86_400)
    expect(created.expires_at).toBeLessThanOrEqual(after + 30 * 86_400)
    expect(created.api_key_expires_at).toBeGreaterThanOrEqual(before + 7 * 86_400)
    const [row] = await query<{ expires_at: Date }>(db.url, 'SELECT expires_at FROM clients WHERE id = $1', [
      created.client_id,
    ])
    expect(Math.floor((row?.expires_at.getTime() ?? 0) / 1000)).toBe(created.expires_at)
    const shown = await runCli(['client', 'show', created.client_id], env)
    expect(shown.stdout).toMatch(/Expires:\s+20\d\d-\d\d-\d\d \d\d:\d\d:\d\dZ/)
    expect(shown.stdout).toMatch(/API key:\s+gk_\S+, expires 20\d\d-/)
  })

  it('rotate --expires <ISO time> gives the new credential that expiry', async () => {
    const created = await cliJson<ClientCreatedWire>(['client', 'create', '--name', 'rotating', '--api-key'], env)
    const rotated = await cliJson<ClientRotated>(
      ['client', 'rotate', created.client_id, '--credential', 'api_key', '--yes', '--expires', '2030-01-01T00:00:00Z'],
      env,
    )
    expect(rotated.client.api_key_expires_at).toBe(1_893_456_000)
    expect(rotated.client.expires_at).toBeNull()
  })

  it('expire --at / --never set and clear the client or a credential expiry', async () => {
    const created = await cliJson<ClientCreatedWire>(
      ['client', 'create', '--name', 'expiring', '--api-key', '--shared-secret'],
      env,
    )
    const id = created.client_id
    const set = await cliJson<ClientWire>(['client', 'expire', id, '--at', '1900000000'], env)
    expect(set.expires_at).toBe(1_900_000_000)
    const secret = await cliJson<ClientWire>(
      ['client', 'expire', id, '--credential', 'shared_secret', '--at', '2031-06-01'],
      env,
    )
    expect(secret).toMatchObject({ expires_at: 1_900_000_000, shared_secret_expires_at: 1_938_038_400 })
    const cleared = await cliJson<ClientWire>(['client', 'expire', id, '--never'], env)
    expect(cleared).toMatchObject({ expires_at: null, shared_secret_expires_at: 1_938_038_400 })
    const past = await runCli(['client', 'expire', id, '--at', '2020-01-01T00:00:00Z'], env)
    expect(past.stdout).toContain('expired at 2020-01-01 00:00:00Z, already past: authz refuses it from now on')
    await runCli(['client', 'expire', id, '--never'], env)
    const text = await runCli(['client', 'expire', id, '--credential', 'shared_secret', '--never'], env)
    expect(text.code).toBe(0)
    expect(text.stdout).toContain('no longer expires')
    expect((await cliJson<ClientWire>(['client', 'show', id], env)).shared_secret_expires_at).toBeNull()
  })

  it.each([
    [['client', 'create', '--name', 'x', '--api-key', '--expires', 'friday'], /--expires: "friday" is not an expiry/],
    [['client', 'expire', 'expiring'], /exactly one of --at <when> or --never/],
    [['client', 'expire', 'expiring', '--at', '1d', '--never'], /exactly one of --at <when> or --never/],
    [['client', 'expire', 'expiring', '--credential', 'password', '--at', '1d'], /--credential: "password"/],
  ])('%j is a usage error on one line', async (args, message) => {
    const result = await runCli(args, env)
    expect(result.code).not.toBe(0)
    expect(expectOneLineError(result)).toMatch(message)
  })
})
