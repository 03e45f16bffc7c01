import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { MIGRATIONS_DIR } from '@gatekeeper/db/migrate'
import { createTestDatabase } from '@gatekeeper/testkit/postgres'
import { describe, expect, it } from 'vitest'
import { cliEnv, cliJson, expectOneLineError, runCli, useCliDatabase } from './support/cli'
import { query } from './support/sql'

/** How many migrations the db package ships (its journal), so adding one needs no edit here. */
const MIGRATIONS = (
  JSON.parse(readFileSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }
).entries.length

type Verify = { ok: boolean; checks: Array<{ name: string; ok: boolean; problems: string[] }> }

const { db, env } = useCliDatabase({}, { migrate: false })

describe('db', () => {
  it('verify reports an empty database; migrate applies every migration once; verify is then clean', async () => {
    const empty = await runCli(['db', 'verify', '--json'], env)
    expect(empty.code).toBe(1)
    const report = JSON.parse(empty.stdout) as Verify
    expect(report.ok).toBe(false)
    expect(report.checks.find((c) => c.name === 'migrations')?.problems[0]).toMatch(/no migrations have been applied/)
    expect(expectOneLineError(empty)).toMatch(/database verification found \d+ problems/)

    expect(await cliJson(['db', 'migrate'], env)).toEqual({ applied: MIGRATIONS, total: MIGRATIONS })
    expect(await cliJson(['db', 'migrate'], env)).toEqual({ applied: 0, total: MIGRATIONS })
    const clean = await cliJson<Verify>(['db', 'verify'], env)
    expect(clean.ok).toBe(true)
    expect(clean.checks.map((c) => c.name)).toEqual(['migrations', 'tables', 'triggers', 'functions', 'config_state'])
  })

  it('verify names a disabled trigger, a missing config_state row and a dropped column', async () => {
    await query(db.url, 'ALTER TABLE routes DISABLE TRIGGER routes_config_changed')
    await query(db.url, 'DELETE FROM config_state')
    await query(db.url, 'ALTER TABLE console_admins DROP COLUMN aegis_user_id')
    const broken = await runCli(['db', 'verify'], env)
    expect(broken.code).toBe(1)
    expect(broken.stdout).toContain('trigger routes_config_changed on routes is disabled')
    expect(broken.stdout).toContain('config_state row 1 is missing')
    expect(broken.stdout).toContain('table console_admins lacks column aegis_user_id')
    expect(expectOneLineError(broken)).toBe('gatekeeper: database verification found 3 problems')
  })

  it('reset is refused without --yes (no terminal, and in CI), then rebuilds an empty, valid database', async () => {
    const refused = await runCli(['db', 'reset'], env)
    expect(refused.code).toBe(5)
    expect(expectOneLineError(refused)).toMatch(/refusing to reset database gk_test_/)
    const inCi = await runCli(['db', 'reset'], { ...env, CI: 'true' })
    expect(inCi.code).toBe(5)
    expect(expectOneLineError(inCi)).toMatch(/in CI without --yes/)
    // Still broken: nothing was reset.
    expect((await runCli(['db', 'verify'], env)).code).toBe(1)

    await cliJson(['route', 'create', '--pattern', '/r', '--service', 's', '--method', 'GET=public'], env)
    const reset = await cliJson<{ reset: boolean; migrations: number }>(['db', 'reset', '--yes'], env)
    expect(reset).toMatchObject({ reset: true, migrations: MIGRATIONS })
    expect((await cliJson<Verify>(['db', 'verify'], env)).ok).toBe(true)
    expect(await cliJson(['route', 'list'], env)).toEqual([])
  })
})

describe('finding the database', () => {
  it('uses the embedded database a running `pnpm start` recorded in <data dir>/embedded.json', async () => {
    const migrated = await createTestDatabase()
    try {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'gk-embedded-'))
      writeFileSync(
        path.join(dataDir, 'embedded.json'),
        JSON.stringify({ url: migrated.url, pid: process.pid, startedAt: new Date().toISOString() }),
      )
      const embeddedEnv = cliEnv(undefined, { GATEKEEPER_DATA_DIR: dataDir })
      await cliJson(
        ['route', 'create', '--pattern', '/via-embedded', '--service', 's', '--method', 'GET=public'],
        embeddedEnv,
      )
      const rows = await query<{ route_pattern: string }>(migrated.url, 'SELECT route_pattern FROM routes')
      expect(rows).toEqual([{ route_pattern: '/via-embedded' }])
    } finally {
      await migrated.drop()
    }
  })

  it('without DATABASE_URL or a running embedded database: one line telling what to do, exit 6', async () => {
    const none = await runCli(['route', 'list'], cliEnv(undefined))
    expect(none.code).toBe(6)
    expect(expectOneLineError(none)).toMatch(/set DATABASE_URL .* or run `pnpm start`/)
  })

  it('an unreachable database is exit 6 with one line; GATEKEEPER_DEBUG=1 adds the stack', async () => {
    const down = await runCli(['client', 'list'], cliEnv('postgres://postgres@127.0.0.1:1/nothing'))
    expect(down.code).toBe(6)
    expect(expectOneLineError(down)).toMatch(
      /^gatekeeper: cannot connect to postgres:\/\/postgres@127\.0\.0\.1:1\/nothing: .*ECONNREFUSED/,
    )
    const debug = await runCli(
      ['client', 'list'],
      cliEnv('postgres://postgres@127.0.0.1:1/nothing', { GATEKEEPER_DEBUG: '1' }),
    )
    expect(debug.code).toBe(6)
    expect(debug.stderr).toMatch(/\n\s+at /)
  })

  it('the original deployment variables work in place of DATABASE_URL; a bad one is exit 2', async () => {
    const url = new URL(db.url)
    const original = cliEnv(undefined, {
      POSTGRES_HOST: url.hostname,
      POSTGRES_PORT: url.port || '5432',
      API_AUTH_ADMIN_PG_DB: url.pathname.slice(1),
      API_AUTH_ADMIN_PG_USER: decodeURIComponent(url.username),
      ...(url.password ? { API_AUTH_ADMIN_PG_PASSWORD: decodeURIComponent(url.password) } : {}),
    })
    expect(await cliJson(['route', 'list'], original)).toEqual([])
    const bad = await runCli(['route', 'list'], { ...original, POSTGRES_PORT: 'eighty' })
    expect(bad.code).toBe(2)
    expect(expectOneLineError(bad)).toMatch(/POSTGRES_PORT/)
  })
})
