import { consoleAegisEnv, type FakeAegis, startFakeAegis, webhookHeaders } from '@gatekeeper/testkit/aegis'
import { type AppProcess, startConsoleApi } from '@gatekeeper/testkit/apps'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliJson, useCliDatabase } from './support/cli'
import { useOriginalDatabase } from './support/original'

// An imported original deployment's console admins sign in to a running console-api through Aegis, as they did
// before the switch, and Aegis's user.deleted webhooks still find them by the id the original kept.

const WEBHOOK_SECRET = 'whsec_import_original_console'
const { db: ours, env } = useCliDatabase()
const original = useOriginalDatabase()
let aegis: FakeAegis
let consoleApi: AppProcess

beforeAll(async () => {
  aegis = await startFakeAegis()
  consoleApi = await startConsoleApi({
    inheritEnv: false,
    env: {
      DATABASE_URL: ours.url,
      GATEKEEPER_MASTER_KEY: env.GATEKEEPER_MASTER_KEY,
      ...consoleAegisEnv(aegis),
      AEGIS_WEBHOOK_SECRET: WEBHOOK_SECRET,
      // Every request asks Aegis and the database afresh, so a removal shows at once.
      AEGIS_AUTH_CACHE_TTL_SECONDS: '0',
      LOG_LEVEL: 'warn',
    },
    readyTimeoutMs: 90_000,
  })
}, 120_000)
afterAll(async () => {
  await consoleApi?.stop()
  await aegis?.stop()
})

const adminGet = (token: string) =>
  fetch(`${consoleApi.url}/api/admin/routes`, { headers: { authorization: `Bearer ${token}` } })

type AdminRow = { email: string; aegis_user_id: string | null; aegis_webhook_user_id: string | null; binding: string }

describe('console admins imported from the original', () => {
  it('sign in with their verified email, and are removed by a user.deleted naming the original id', async () => {
    await cliJson(['import-original', '--from', original.url], env)
    // The original provisioned `Ops@Example.com` from a webhook that named the user `aegis-user-1`;
    // at sign-in Aegis's /me presents the user by a uuid the original never saw.
    const { user, token } = aegis.addUser({ email: 'ops@example.com' })
    const imported = (await cliJson<AdminRow[]>(['admin', 'list'], env)).find((a) => a.email === 'ops@example.com')
    expect(imported).toMatchObject({ aegis_user_id: null, aegis_webhook_user_id: 'aegis-user-1', binding: 'pending' })

    const signedIn = await adminGet(token)
    expect(signedIn.status).toBe(200)
    expect(await signedIn.json()).toEqual(expect.any(Array))
    const bound = (await cliJson<AdminRow[]>(['admin', 'list'], env)).find((a) => a.email === 'ops@example.com')
    expect(bound).toMatchObject({ aegis_user_id: user.uuid, binding: 'bound' })

    // A user of the same email on another site of the same Aegis is not that admin.
    const foreign = aegis.addUser({ email: 'second@example.com', site_uuid: aegis.otherSiteId })
    expect((await adminGet(foreign.token)).status).toBe(403)

    const body = aegis.webhookBody('user.deleted', user, { user_id: 'aegis-user-1' })
    const hook = await fetch(`${consoleApi.url}/api/webhooks/aegis`, {
      method: 'POST',
      headers: webhookHeaders(WEBHOOK_SECRET, body),
      body,
    })
    expect(hook.status).toBe(200)
    expect((await adminGet(token)).status).toBe(403)
    expect((await cliJson<AdminRow[]>(['admin', 'list'], env)).map((a) => a.email)).toEqual(['second@example.com'])
  })
})
