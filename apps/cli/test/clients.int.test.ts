import { createHash } from 'node:crypto'
import type { ClientRotated } from '@gatekeeper/db/admin'
import type { ClientCreatedWire, ClientWire, RouteWire } from '@gatekeeper/models'
import { describe, expect, it } from 'vitest'
import { cliJson, expectOneLineError, runCli, useCliDatabase } from './support/cli'
import { query } from './support/sql'

const { db, env } = useCliDatabase()

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

describe('client', () => {
  it('create prints raw credentials once; lists and the database only ever hold masked or protected forms', async () => {
    const created = await cliJson<ClientCreatedWire>(
      ['client', 'create', '--name', 'Mobile App', '--api-key', '--shared-secret'],
      env,
    )
    expect(created.api_key).toMatch(/^gk_[0-9A-Za-z]{49}$/)
    expect(created.shared_secret).toMatch(/^gks_/)
    expect(created.api_key_masked).toBe(`${created.api_key?.slice(0, 7)}\u2026${created.api_key?.slice(-4)}`)

    const list = await runCli(['client', 'list', '--json'], env)
    const listed = JSON.parse(list.stdout) as ClientWire[]
    const mine = listed.find((c) => c.client_id === created.client_id)
    expect(mine).toMatchObject({
      client_name: 'Mobile App',
      status: 'active',
      api_key_masked: created.api_key_masked,
      has_shared_secret: true,
    })
    expect(mine).not.toHaveProperty('api_key')
    expect(mine).not.toHaveProperty('shared_secret')
    for (const out of [
      list.stdout,
      (await runCli(['client', 'list'], env)).stdout,
      (await runCli(['client', 'show', created.client_id], env)).stdout,
    ]) {
      expect(out).not.toContain(created.api_key)
      expect(out).not.toContain(created.shared_secret)
    }

    const rows = await query<{ kind: string; api_key_digest: string | null; secret_sealed: string | null }>(
      db.url,
      'SELECT kind, api_key_digest, secret_sealed FROM client_credentials WHERE client_id = $1',
      [created.client_id],
    )
    expect(rows.find((r) => r.kind === 'api_key')?.api_key_digest).toBe(sha256(created.api_key ?? ''))
    const dump =
      JSON.stringify(await query(db.url, 'SELECT * FROM client_credentials')) +
      JSON.stringify(await query(db.url, 'SELECT * FROM admin_audit_log'))
    expect(dump).not.toContain(created.api_key)
    expect(dump).not.toContain(created.shared_secret)
  })

  it('the human create output boxes the credentials with the warning', async () => {
    const human = await runCli(['client', 'create', '--name', 'Boxed', '--api-key'], env)
    expect(human.code).toBe(0)
    expect(human.stdout).toMatch(/┌─ Credentials for Boxed/)
    expect(human.stdout).toMatch(/│ API key +gk_[0-9A-Za-z]{49} +│/)
    expect(human.stdout).toContain('Shown once.')
  })

  it('suspend, activate and (confirmed) revoke change the status', async () => {
    const c = await cliJson<ClientCreatedWire>(['client', 'create', '--name', 'Status', '--api-key'], env)
    expect((await cliJson<ClientWire>(['client', 'suspend', c.client_id], env)).status).toBe('suspended')
    expect((await cliJson<ClientWire>(['client', 'activate', c.client_id], env)).status).toBe('active')
    const refused = await runCli(['client', 'revoke', c.client_id], env)
    expect(refused.code).toBe(5)
    expect(expectOneLineError(refused)).toMatch(/refusing to revoke client/)
    expect((await cliJson<ClientWire>(['client', 'show', c.client_id], env)).status).toBe('active')
    expect((await cliJson<ClientWire>(['client', 'revoke', c.client_id, '--yes'], env)).status).toBe('revoked')
    expect(
      (await cliJson<ClientWire[]>(['client', 'list', '--status', 'revoked'], env)).map((x) => x.client_id),
    ).toContain(c.client_id)
    // Revocation is final: activate (or suspend) a revoked client is refused, naming the way forward.
    const back = await runCli(['client', 'activate', c.client_id], env)
    expect(back.code).not.toBe(0)
    expect(expectOneLineError(back)).toMatch(/revocation is final: create a new client/)
    expect((await cliJson<ClientWire>(['client', 'show', c.client_id], env)).status).toBe('revoked')
  })

  it('update renames; rotate prints the new key once, with a grace period for the old one', async () => {
    const c = await cliJson<ClientCreatedWire>(['client', 'create', '--name', 'Old name', '--api-key'], env)
    const renamed = await cliJson<ClientWire>(['client', 'update', c.client_id, '--name', 'New name'], env)
    expect(renamed.client_name).toBe('New name')

    const refused = await runCli(['client', 'rotate', c.client_id, '--credential', 'api_key'], env)
    expect(refused.code).toBe(5)

    const before = Math.floor(Date.now() / 1000)
    const rotated = await cliJson<ClientRotated>(
      ['client', 'rotate', c.client_id, '--credential', 'api_key', '--grace', '1h'],
      env,
    )
    expect(rotated.api_key).toMatch(/^gk_/)
    expect(rotated.api_key).not.toBe(c.api_key)
    expect(rotated.previous_expires_at).toBeGreaterThanOrEqual(before + 3600 - 5)
    expect(rotated.previous_expires_at).toBeLessThanOrEqual(before + 3600 + 60)
    expect(rotated.client.api_key_masked?.endsWith(rotated.api_key?.slice(-4) ?? '?')).toBe(true)

    const badGrace = await runCli(['client', 'rotate', c.client_id, '--credential', 'api_key', '--grace', 'soon'], env)
    expect(badGrace.code).toBe(2)
    expect(expectOneLineError(badGrace)).toMatch(/--grace: "soon" is not a duration/)
  })

  it('delete shows what cascades, is refused without --yes, and removes credentials, permissions and the rate limit', async () => {
    const c = await cliJson<ClientCreatedWire>(
      ['client', 'create', '--name', 'Doomed', '--api-key', '--shared-secret'],
      env,
    )
    const r = await cliJson<RouteWire>(
      ['route', 'create', '--pattern', '/doomed/*', '--service', 's', '--method', 'GET=api_key'],
      env,
    )
    await cliJson(['permission', 'grant', '--client', c.client_id, '--route', r.route_id, '--methods', 'GET'], env)
    await cliJson(['rate-limit', 'set', c.client_id, '--per-day', '100'], env)

    const refused = await runCli(['client', 'delete', c.client_id], env)
    expect(refused.code).toBe(5)
    expect(refused.stdout).toContain('Its 2 credentials stop working at once.')
    expect(refused.stdout).toMatch(
      /also revokes 1 permission:\n {2}- \/doomed\/\* \(GET\)\nand its rate limit \(100\/day\)/,
    )
    expect((await cliJson<ClientWire>(['client', 'show', c.client_id], env)).client_id).toBe(c.client_id)

    const removed = await cliJson<{ cascaded: Record<string, number> }>(['client', 'delete', c.client_id, '--yes'], env)
    expect(removed.cascaded).toEqual({ permissions: 1, credentials: 2, rate_limit: 1 })
    expect((await runCli(['client', 'show', c.client_id], env)).code).toBe(3)
    expect(await query(db.url, 'SELECT 1 FROM client_credentials WHERE client_id = $1', [c.client_id])).toEqual([])
  })

  it('bad input is one line and exit 2', async () => {
    const noCredential = await runCli(['client', 'create', '--name', 'x'], env)
    expect(noCredential.code).toBe(2)
    expect(expectOneLineError(noCredential)).toMatch(/missing --api-key and\/or --shared-secret/)
    const badStatus = await runCli(['client', 'create', '--name', 'x', '--api-key', '--status', 'paused'], env)
    expect(badStatus.code).toBe(2)
    expect(expectOneLineError(badStatus)).toMatch(/"paused" is not one of active, suspended, revoked/)
    const blankName = await runCli(['client', 'create', '--name', '   ', '--api-key'], env)
    expect(blankName.code).toBe(2)
    expect(expectOneLineError(blankName)).toBe('gatekeeper: client_name: must not be empty')
  })
})
