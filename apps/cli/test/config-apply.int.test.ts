import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { adminAuditLog } from '@gatekeeper/db/schema'
import { ORDERS_FILE } from '@gatekeeper/testkit/config-files'
import { describe, expect, it } from 'vitest'
import { runCli, useCliDatabase, useDbHandle } from './support/cli'

const { db, env } = useCliDatabase()
const handle = useDbHandle(db)
const dir = mkdtempSync(path.join(tmpdir(), 'gk-apply-'))

const FILE = ORDERS_FILE

describe('gatekeeper apply', () => {
  it('dry run, apply with --credentials-out (mode 600), then diff exits 0 and a re-apply does nothing', async () => {
    const file = path.join(dir, 'gatekeeper.yaml')
    writeFileSync(file, FILE)

    const dry = await runCli(['apply', '-f', file, '--dry-run'], env)
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain('+ create route api.example.com /orders/*')
    expect(dry.stderr).toContain('dry run: nothing applied')
    const dryJson = await runCli(['apply', '-f', file, '--dry-run', '--json'], env)
    expect(dryJson.code).toBe(0)
    expect(JSON.parse(dryJson.stdout)).toMatchObject({ applied: false, change_set_id: null, credentials: [] })
    expect(JSON.parse(dryJson.stdout).plan.changes).toHaveLength(3)
    expect((await runCli(['diff', '-f', file], env)).code).toBe(2)

    const out = path.join(dir, 'credentials.txt')
    const applied = await runCli(['apply', '-f', file, '--credentials-out', out], env)
    expect(applied.stderr).toBe(`new credentials written to ${out} (mode 600); they are not shown again\n`)
    expect(applied.code).toBe(0)
    expect(applied.stdout).toMatch(/applied 3 create, 0 update, 0 delete \(change set [0-9a-f-]{36}/)
    expect(statSync(out).mode & 0o777).toBe(0o600)
    const [line] = readFileSync(out, 'utf8').trim().split('\n')
    const [name, kind, apiKey] = line?.split('\t') ?? []
    expect([name, kind]).toEqual(['billing', 'api_key'])
    expect(apiKey).toMatch(/^gk_/)
    expect(applied.stdout).not.toContain(apiKey)

    const audit = await handle.db.select().from(adminAuditLog)
    expect(audit).toHaveLength(3)
    expect(new Set(audit.map((a) => a.requestId)).size).toBe(1)
    expect(JSON.stringify(audit)).not.toContain(apiKey)

    expect((await runCli(['diff', '-f', file, '--prune'], env)).code).toBe(0)
    const again = await runCli(['apply', '-f', file], env)
    expect(again.code).toBe(0)
    expect(again.stdout.trim()).toBe('No changes: the live configuration matches the file.')
    expect(await handle.db.select().from(adminAuditLog)).toHaveLength(3)

    // Without --credentials-out the new client's key is printed once on stdout.
    writeFileSync(
      file,
      `${FILE.replace('clients:\n', 'clients:\n  - client_name: mobile\n    credentials: [{ kind: shared_secret }]\n')}`,
    )
    const printed = await runCli(['apply', '-f', file], env)
    expect(printed.code).toBe(0)
    expect(printed.stderr).toContain('new credentials, shown once')
    expect(printed.stdout).toMatch(/^mobile\tshared_secret\t\S+$/m)

    writeFileSync(
      file,
      `${FILE.replace('clients:\n', 'clients:\n  - client_name: web\n    credentials: [{ kind: api_key }]\n')}`,
    )
    const json = await runCli(['apply', '-f', file, '--json'], env)
    expect(json.code).toBe(0)
    const body = JSON.parse(json.stdout) as { applied: boolean; change_set_id: string; credentials: unknown[] }
    expect(body.applied).toBe(true)
    expect(body.credentials).toEqual([
      { client_name: 'web', client_id: expect.any(String), api_key: expect.stringMatching(/^gk_/) },
    ])
  })

  it('an invalid file exits 1 and writes nothing', async () => {
    const file = path.join(dir, 'bad.yaml')
    writeFileSync(file, FILE.replace('allowed_methods: [GET]', 'allowed_methods: [DELETE]'))
    const before = (await runCli(['export'], env)).stdout
    const result = await runCli(['apply', '-f', file], env)
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/bad\.yaml:\d+:\d+: permissions\[0\]\.allowed_methods/)
    expect((await runCli(['export'], env)).stdout).toBe(before)
  })

  it('a file over 16 MiB is refused before it is parsed (exit 2), not read until the heap runs out', async () => {
    const file = path.join(dir, 'huge.yaml')
    writeFileSync(file, `version: 1\n${'#'.repeat(16 * 1024 * 1024)}\n`)
    const result = await runCli(['apply', '-f', file], env)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('huge.yaml is 16777228 bytes; a configuration file may be at most 16 MiB')
  })

  it('a pruning apply that would empty a whole section the live state has is refused (exit 5) unless confirmed', async () => {
    const withoutAdmin = (await runCli(['export'], env)).stdout
    const withAdmin = path.join(dir, 'with-admin.yaml')
    writeFileSync(withAdmin, withoutAdmin.replace('console_admins: []', 'console_admins:\n  - email: ops@example.com'))
    expect((await runCli(['apply', '-f', withAdmin], env)).code).toBe(0)
    const before = (await runCli(['export'], env)).stdout

    // A file that lost its console_admins section would lock everyone out of the console.
    const noAdmins = path.join(dir, 'no-admins.yaml')
    writeFileSync(noAdmins, withoutAdmin.replace(/console_admins: \[\]\n?/, ''))
    const diff = await runCli(['diff', '-f', noAdmins, '--prune'], env)
    expect(diff.code).toBe(2)
    expect(diff.stderr).toContain('lists no console admins (all 1): apply --prune deletes them all only once confirmed')
    const refused = await runCli(['apply', '-f', noAdmins, '--prune'], env)
    expect(refused.code).toBe(5)
    expect(refused.stderr).toContain('refusing to prune console admins (all 1): ')
    expect(refused.stderr).toContain('pass --yes')
    // A file cut down to its first line would delete everything.
    const empty = path.join(dir, 'empty.yaml')
    writeFileSync(empty, 'version: 1\n')
    const wipe = await runCli(['apply', '-f', empty, '--prune', '--json'], env)
    expect(wipe.code).toBe(5)
    expect(wipe.stderr).toMatch(/refusing to prune routes \(all 1\), clients \(all \d+\), permissions/)
    expect((await runCli(['export'], env)).stdout).toBe(before)
    // Without --prune nothing is deleted, so nothing is asked.
    expect((await runCli(['apply', '-f', empty], env)).code).toBe(0)

    const confirmed = await runCli(['apply', '-f', noAdmins, '--prune', '--yes'], env)
    expect(confirmed.code).toBe(0)
    expect((await runCli(['export'], env)).stdout).toBe(withoutAdmin)
  })
})
