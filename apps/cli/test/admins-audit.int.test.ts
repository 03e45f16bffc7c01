import { userInfo } from 'node:os'
import type { AuditEntryWire, ClientCreatedWire, ConsoleAdminWire } from '@gatekeeper/models'
import { describe, expect, it } from 'vitest'
import { cliJson, expectOneLineError, runCli, useCliDatabase } from './support/cli'

const { env } = useCliDatabase()

describe('admin', () => {
  it('add, list, remove (by email, confirmed)', async () => {
    const added = await cliJson<ConsoleAdminWire>(['admin', 'add', '--email', 'Ops@Example.com'], env)
    expect(added).toMatchObject({ email: 'ops@example.com', source: 'cli', aegis_user_id: null, binding: 'pending' })
    const bound = await cliJson<ConsoleAdminWire>(
      ['admin', 'add', '--email', 'dev@example.com', '--aegis-user-id', 'aegis-42'],
      env,
    )
    expect(bound.aegis_user_id).toBe('aegis-42')
    expect((await cliJson<ConsoleAdminWire[]>(['admin', 'list'], env)).map((a) => a.email).sort()).toEqual([
      'dev@example.com',
      'ops@example.com',
    ])
    // The table shows who is still waiting for their first sign-in and who is bound to which Aegis user.
    const table = await runCli(['admin', 'list'], env)
    expect(table.code).toBe(0)
    const lines = table.stdout.split('\n')
    expect(lines[0]).toMatch(/EMAIL\s+BINDING\s+AEGIS USER\s+WEBHOOK ID\s+SOURCE/)
    expect(lines.find((l) => l.includes('ops@example.com'))).toMatch(
      /ops@example\.com\s+pending \(first sign-in\)\s+-\s+-\s+cli/,
    )
    expect(lines.find((l) => l.includes('dev@example.com'))).toMatch(/dev@example\.com\s+bound\s+aegis-42\s+-\s+cli/)

    const duplicate = await runCli(['admin', 'add', '--email', 'ops@example.com'], env)
    expect(duplicate.code).toBe(4)
    expect(expectOneLineError(duplicate)).toMatch(/already exists/)
    const invalid = await runCli(['admin', 'add', '--email', 'not-an-email'], env)
    expect(invalid.code).toBe(2)
    expect(expectOneLineError(invalid)).toBe('gatekeeper: email: expected an email address')

    const refused = await runCli(['admin', 'remove', 'ops@example.com'], env)
    expect(refused.code).toBe(5)
    expect(await cliJson<ConsoleAdminWire[]>(['admin', 'list'], env)).toHaveLength(2)
    const removed = await cliJson<ConsoleAdminWire>(['admin', 'remove', 'ops@example.com', '--yes'], env)
    expect(removed.admin_id).toBe(added.admin_id)
    const byId = await cliJson<ConsoleAdminWire>(['admin', 'remove', bound.admin_id, '--yes'], env)
    expect(byId.email).toBe('dev@example.com')
    expect(await cliJson(['admin', 'list'], env)).toEqual([])
    expect((await runCli(['admin', 'remove', 'nobody@example.com', '--yes'], env)).code).toBe(3)
  })
})

describe('audit', () => {
  it('records CLI changes with the OS user as actor, filterable by actor, entity, action and time', async () => {
    const c = await cliJson<ClientCreatedWire>(['client', 'create', '--name', 'Audited', '--api-key'], env)
    await cliJson(['client', 'suspend', c.client_id], env)
    const me = userInfo().username

    const forClient = await cliJson<AuditEntryWire[]>(['audit', '--entity', `client:${c.client_id}`], env)
    expect(forClient.map((e) => e.action)).toEqual(['client.update', 'client.create'])
    for (const e of forClient)
      expect(e).toMatchObject({ actor: me, actor_type: 'cli', entity_type: 'client', entity_id: c.client_id })
    expect(JSON.stringify(forClient)).not.toContain(c.api_key)
    expect(forClient[0]?.before).toMatchObject({ status: 'active' })
    expect(forClient[0]?.after).toMatchObject({ status: 'suspended' })

    expect(
      (await cliJson<AuditEntryWire[]>(['audit', '--action', 'client.create', '--since', '1h'], env)).length,
    ).toBeGreaterThan(0)
    expect(await cliJson(['audit', '--actor', 'someone-else'], env)).toEqual([])
    expect(await cliJson(['audit', '--since', '2999-01-01'], env)).toEqual([])
    expect(await cliJson<unknown[]>(['audit', '--limit', '1'], env)).toHaveLength(1)

    const human = await runCli(['audit', '--entity', 'client'], env)
    expect(human.stdout).toContain(`${me} (cli)`)
    const badEntity = await runCli(['audit', '--entity', 'user'], env)
    expect(badEntity.code).toBe(2)
    expect(expectOneLineError(badEntity)).toMatch(/--entity: "user" is not one of route, client/)
    const badSince = await runCli(['audit', '--since', 'yesterday-ish'], env)
    expect(badSince.code).toBe(2)
  })
})
