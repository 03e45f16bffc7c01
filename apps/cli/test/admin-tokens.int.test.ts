import { userInfo } from 'node:os'
import { adminTokenOps } from '@gatekeeper/db/admin'
import type { AdminTokenCreatedWire, AdminTokenWire, AuditEntryWire } from '@gatekeeper/models'
import { describe, expect, it } from 'vitest'
import { startSignInMessage } from '../src/sign-in-link'
import { cliJson, expectOneLineError, runCli, useCliDatabase, useDbHandle } from './support/cli'

const { db, env } = useCliDatabase()
const handle = useDbHandle(db)

describe('admin token', () => {
  it('create prints the token once; it authenticates, is listed masked, and the audit names the OS user', async () => {
    const created = await cliJson<AdminTokenCreatedWire>(
      ['admin', 'token', 'create', '--name', 'ci', '--scope', 'write', '--expires', '30d'],
      env,
    )
    expect(created.token).toMatch(/^gka_[0-9A-Za-z]{49}$/)
    expect(created).toMatchObject({ name: 'ci', scope: 'write', created_by: userInfo().username })
    expect((created.expires_at ?? 0) - created.created_at).toBe(30 * 86_400)

    const check = await adminTokenOps(handle.db).authenticate(created.token, new Date())
    expect(check).toEqual({
      ok: true,
      identity: { tokenId: created.token_id, kind: 'api', name: 'ci', scope: 'write' },
    })

    const listed = await cliJson<AdminTokenWire[]>(['admin', 'token', 'list'], env)
    expect(listed.map((t) => t.name)).toContain('ci')
    expect(JSON.stringify(listed)).not.toContain(created.token)

    const table = await runCli(['admin', 'token', 'list'], env)
    expect(table.stdout).toMatch(/NAME\s+SCOPE\s+STATE/)
    expect(table.stdout).toMatch(/ci\s+write\s+active\s+gka_/)
    expect(table.stdout).not.toContain(created.token)

    const audit = await cliJson<AuditEntryWire[]>(['audit', '--entity', `admin_token:${created.token_id}`], env)
    expect(audit[0]).toMatchObject({ action: 'admin_token.create', actor: userInfo().username, actor_type: 'cli' })
  })

  it('shows the raw token in the boxed credentials output, with no expiry by default', async () => {
    const result = await runCli(['admin', 'token', 'create', '--name', 'dashboards', '--scope', 'read'], env)
    expect(result.code).toBe(0)
    const token = /gka_[0-9A-Za-z]{49}/.exec(result.stdout)?.[0]
    expect(token).toBeDefined()
    expect(result.stdout).toContain('shown once')
    expect(result.stdout).toMatch(/expires\s+never/)
  })

  it('refuses bad input with one line and the usage exit code', async () => {
    const badScope = await runCli(['admin', 'token', 'create', '--name', 'x1', '--scope', 'admin'], env)
    expect(badScope.code).toBe(2)
    expect(expectOneLineError(badScope)).toMatch(/scope/)
    const badExpiry = await runCli(
      ['admin', 'token', 'create', '--name', 'x2', '--scope', 'read', '--expires', 'soon'],
      env,
    )
    expect(badExpiry.code).toBe(2)
    expect(expectOneLineError(badExpiry)).toMatch(/--expires/)
    const badName = await runCli(['admin', 'token', 'create', '--name', 'a b', '--scope', 'read'], env)
    expect(badName.code).toBe(2)
    const missing = await runCli(['admin', 'token', 'create', '--scope', 'read'], env)
    expect(missing.code).toBe(2)
    expect(expectOneLineError(missing)).toMatch(/--name/)
    const dup = await runCli(['admin', 'token', 'create', '--name', 'ci', '--scope', 'read'], env)
    expect(dup.code).toBe(4)
  })

  it('revoke asks for --yes off a terminal, then revokes by name; the token stops working', async () => {
    const created = await cliJson<AdminTokenCreatedWire>(
      ['admin', 'token', 'create', '--name', 'old', '--scope', 'read'],
      env,
    )
    const refused = await runCli(['admin', 'token', 'revoke', 'old'], env)
    expect(refused.code).toBe(5)
    expect(expectOneLineError(refused)).toMatch(/--yes/)
    const revoked = await cliJson<AdminTokenWire>(['admin', 'token', 'revoke', 'old', '--yes'], env)
    expect(revoked.revoked_at).toEqual(expect.any(Number))
    expect(await adminTokenOps(handle.db).authenticate(created.token, new Date())).toEqual({
      ok: false,
      reason: 'revoked',
    })
    expect((await runCli(['admin', 'token', 'revoke', 'old', '--yes'], env)).code).toBe(3)
    const table = await runCli(['admin', 'token', 'list'], env)
    expect(table.stdout).toMatch(/old\s+read\s+revoked/)
  })
})

describe('admin sign-in-link', () => {
  it('prints a one-time console link whose code exchanges once', async () => {
    const link = await cliJson<{ url: string; expires_at: number }>(['admin', 'sign-in-link'], {
      ...env,
      CONSOLE_API_PORT: '9123',
    })
    const code = /^http:\/\/127\.0\.0\.1:9123\/console\/#\/sign-in\?code=(gkl_[0-9A-Za-z]{49})$/.exec(link.url)?.[1]
    expect(code).toBeDefined()
    expect(link.expires_at - Math.floor(Date.now() / 1000)).toBeGreaterThan(3500)
    const ops = adminTokenOps(handle.db)
    const session = await ops.exchangeSignInCode(code ?? '', { now: new Date(), sessionSeconds: 600 })
    expect(session?.identity).toMatchObject({ kind: 'local_session', name: 'local-admin', scope: 'write' })
    expect(await ops.exchangeSignInCode(code ?? '', { now: new Date(), sessionSeconds: 600 })).toBeNull()
  })

  it('is refused when Aegis is configured, unless CONSOLE_LOCAL_SIGNIN=true', async () => {
    const aegis = { ...env, AEGIS_API_URL: 'https://aegis.example.com' }
    const refused = await runCli(['admin', 'sign-in-link'], aegis)
    expect(refused.code).toBe(5)
    expect(expectOneLineError(refused)).toMatch(/CONSOLE_LOCAL_SIGNIN=true/)
    const allowed = await runCli(['admin', 'sign-in-link'], { ...aegis, CONSOLE_LOCAL_SIGNIN: 'true' })
    expect(allowed.code).toBe(0)
    expect(allowed.stdout).toMatch(/#\/sign-in\?code=gkl_/)
    const bad = await runCli(['admin', 'sign-in-link'], { ...env, CONSOLE_LOCAL_SIGNIN: 'maybe' })
    expect(bad.code).toBe(2)
  })
})

describe('the sign-in line `gatekeeper start` prints', () => {
  it('is a working one-time link without Aegis, an Aegis note with it, and a warning (not a crash) without a database', async () => {
    const line = await startSignInMessage(db.url, {})
    const code = /http:\/\/127\.0\.0\.1:7844\/console\/#\/sign-in\?code=(gkl_[0-9A-Za-z]{49})$/.exec(line)?.[1]
    expect(code).toBeDefined()
    const session = await adminTokenOps(handle.db).exchangeSignInCode(code ?? '', {
      now: new Date(),
      sessionSeconds: 60,
    })
    expect(session).not.toBeNull()

    const aegis = await startSignInMessage(db.url, { AEGIS_API_URL: 'https://aegis.example.com' })
    expect(aegis).toMatch(/with Aegis/)
    expect(aegis).not.toMatch(/code=/)
    const down = await startSignInMessage('postgres://nobody@127.0.0.1:9/none', {})
    expect(down).toBe(
      'console sign-in: could not make a sign-in link (connect ECONNREFUSED 127.0.0.1:9); run `gatekeeper admin sign-in-link`',
    )
  })
})
