import { execFile } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { ClientCreatedWire } from '@gatekeeper/models'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decide, type RunningAuthz, startAuthz, waitForStatus } from './support/authz'
import { cliJson, createRoute, runCli, useCliDatabase } from './support/cli'
import { ORIGINAL, useOriginalDatabase } from './support/original'

// The CLI and a running authz on the same database: what the CLI writes is what authz enforces.

const run = promisify(execFile)
/** The root package depends on the CLI, so installing the checkout puts `gatekeeper` here. */
const REPO_BIN = fileURLToPath(new URL('../../../node_modules/.bin', import.meta.url))

const { db: ours, env } = useCliDatabase()
const original = useOriginalDatabase()
let authz: RunningAuthz

beforeAll(async () => {
  authz = await startAuthz({ DATABASE_URL: ours.url, GATEKEEPER_MASTER_KEY: env.GATEKEEPER_MASTER_KEY ?? '' })
}, 120_000)
afterAll(async () => {
  await authz?.stop()
})

describe('CLI changes reach a running authz', () => {
  it('a grant, a suspension and a revocation made with the CLI are enforced within 1 s', async () => {
    const route = await createRoute(env, {
      pattern: '/api/live/*',
      domain: 'live.example.com',
      service: 'live',
      methods: 'GET=api_key',
    })
    const client = await cliJson<ClientCreatedWire>(['client', 'create', '--name', 'Live', '--api-key'], env)
    const req = { path: '/api/live/x', host: 'live.example.com', authorization: `Bearer ${client.api_key}` }
    await waitForStatus(authz, req, 403, 5000) // known client, no permission yet

    await cliJson(
      ['permission', 'grant', '--client', client.client_id, '--route', route.route_id, '--methods', 'GET'],
      env,
    )
    expect(await waitForStatus(authz, req, 200, 1000)).toBeLessThan(1000)

    await cliJson(['client', 'suspend', client.client_id], env)
    expect(await waitForStatus(authz, req, 403, 1000)).toBeLessThan(1000)

    await cliJson(['client', 'activate', client.client_id], env)
    await waitForStatus(authz, req, 200, 1000)
    await cliJson(['permission', 'revoke', '--client', client.client_id, '--route', route.route_id, '--yes'], env)
    expect(await waitForStatus(authz, req, 403, 1000)).toBeLessThan(1000)
  })

  it("setup-test-data's printed curl lines, pasted into a shell with PATH set as README.md says, give what they promise", async () => {
    // README.md: export PATH="$PWD/node_modules/.bin:$PATH" in the checkout, then `gatekeeper ...`.
    const shellEnv = { ...env, PATH: `${REPO_BIN}:${path.dirname(process.execPath)}:/usr/bin:/bin` }
    const { stdout } = await run('bash', ['-c', `gatekeeper setup-test-data --authz-url ${authz.url}`], {
      env: shellEnv,
    })
    const pasted = stdout.slice(stdout.indexOf('Try them against authz'))
    const exportLine = pasted.split('\n').find((line) => line.startsWith('export GK_TEST_SECRET=')) ?? ''
    const checks = [...pasted.matchAll(/^# (.+): expect (\d{3})\n(.+)$/gm)].map((m) => ({
      name: m[1] ?? '',
      expect: m[2] ?? '',
      command: m[3] ?? '',
    }))
    expect(exportLine).toMatch(/^export GK_TEST_SECRET=/)
    expect(checks.map((c) => c.expect)).toEqual(['200', '401', '200', '200'])
    // The signing line names the command on PATH, not a path into this checkout.
    expect(checks[3]?.command).toMatch(/^gatekeeper sign --client-id \S+ --secret-env GK_TEST_SECRET /)
    for (const check of checks) {
      // Give authz its moment to apply the new configuration, then the command must give exactly what it says.
      let status = ''
      for (let attempt = 0; attempt < 20 && status !== check.expect; attempt++) {
        const result = await run('bash', ['-c', `${exportLine}\n${check.command}`], { env: shellEnv })
        status = result.stdout.trim()
        if (status !== check.expect) await new Promise((r) => setTimeout(r, 100))
      }
      expect(status, `${check.name}: ${check.command}`).toBe(check.expect)
    }
    // Run again: the routes and clients are reused (with fresh credentials), and nothing conflicts.
    const again = await runCli(['setup-test-data', '--authz-url', authz.url], env)
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('Try them against authz')
  })
})

describe('an imported original deployment keeps working at authz', () => {
  it('its legacy API key and an HMAC request signed with its secret are allowed; a second import changes nothing', async () => {
    const first = await cliJson<{ counts: Record<string, { created: number }> }>(
      ['import-original', '--from', original.url],
      env,
    )
    expect(first.counts.clients?.created).toBe(4)

    const host = 'api.example.com'
    const keyReq = { path: '/api/items/42', method: 'GET', host, authorization: `Bearer ${ORIGINAL.keys.both}` }
    await waitForStatus(authz, keyReq, 200, 3000)

    const sign = (secret: string) =>
      runCli(
        [
          'sign',
          '--v1', // the original's clients sign with the original scheme
          '--client-id',
          ORIGINAL.clients.both,
          '--secret-env',
          'ORIGINAL_SECRET',
          '--method',
          'POST',
          '--path',
          '/api/items/42',
        ],
        {
          ...env,
          ORIGINAL_SECRET: secret,
        },
      )
    const signed = await sign(ORIGINAL.secrets.both)
    expect(signed.code).toBe(0)
    expect(
      await decide(authz, { path: '/api/items/42', method: 'POST', host, authorization: signed.stdout.trim() }),
    ).toBe(200)
    // The same signed header again is a replay; a wrong secret is not a signature.
    expect(
      await decide(authz, { path: '/api/items/42', method: 'POST', host, authorization: signed.stdout.trim() }),
    ).toBe(401)
    const forged = await sign('not-the-secret-at-all')
    expect(
      await decide(authz, { path: '/api/items/42', method: 'POST', host, authorization: forged.stdout.trim() }),
    ).toBe(401)
    // The key-only client is suspended in the original, and stays refused here.
    expect(await decide(authz, { path: '/api/items/42', host, authorization: `Bearer ${ORIGINAL.keys.keyOnly}` })).toBe(
      403,
    )
    // The key that looks like one of ours was reported, not imported: authz refuses it as malformed.
    expect(
      await decide(authz, { path: '/api/items/42', host, authorization: `Bearer ${ORIGINAL.keys.gkLookalike}` }),
    ).toBe(401)

    const second = await cliJson<{ counts: Record<string, { created: number; updated: number }> }>(
      ['import-original', '--from', original.url],
      env,
    )
    for (const tally of Object.values(second.counts)) expect(tally).toMatchObject({ created: 0, updated: 0 })
    expect(await decide(authz, keyReq)).toBe(200)
    const resigned = await sign(ORIGINAL.secrets.both)
    expect(
      await decide(authz, { path: '/api/items/42', method: 'POST', host, authorization: resigned.stdout.trim() }),
    ).toBe(200)
  })
})
