import { randomBytes } from 'node:crypto'
import { type FakeAegis, startFakeAegis, webhookHeaders } from '@gatekeeper/testkit/aegis'
import { type AppProcess, startConsoleApi } from '@gatekeeper/testkit/apps'
import { CONSOLE_API_DIR, CONSOLE_API_MAIN } from '@gatekeeper/testkit/paths'
import { createTestDatabase, type TestDatabase } from '@gatekeeper/testkit/postgres'
import { runToEnd } from '@gatekeeper/testkit/process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_EMAIL_ALLOWED, must, testEnv } from './harness'

// The real process (`node --import tsx src/main.ts`, through testkit) on a random port, called over HTTP.

let testDb: TestDatabase
let aegis: FakeAegis
let app: AppProcess
let base: string

beforeAll(async () => {
  testDb = await createTestDatabase()
  aegis = await startFakeAegis()
  const env = testEnv(testDb.url, aegis, {
    LOG_LEVEL: 'info',
    GATEKEEPER_MASTER_KEY: randomBytes(32).toString('base64'),
  })
  app = await startConsoleApi({ env, inheritEnv: false })
  base = app.url
}, 60_000)

afterAll(async () => {
  await app?.kill()
  await aegis.stop()
  await testDb.drop()
})

describe('console-api over HTTP', () => {
  it('refuses a port already in use with one line naming CONSOLE_API_PORT, not a stack trace', async () => {
    const env = testEnv(testDb.url, aegis, { CONSOLE_API_HOST: '127.0.0.1', CONSOLE_API_PORT: String(app.port) })
    const second = await runToEnd(process.execPath, ['--import', 'tsx', CONSOLE_API_MAIN], {
      cwd: CONSOLE_API_DIR,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      timeoutMs: 60_000,
    })
    expect(second.code).toBe(1)
    expect(second.stderr.trim()).toBe(
      `console-api: failed to start: port ${app.port} is already in use: stop what listens there, or choose a free port with CONSOLE_API_PORT=<port>`,
    )
  }, 70_000)

  it('serves the public config and the docs', async () => {
    const config = await (await fetch(`${base}/api/config`)).json()
    expect(config).toEqual({
      aegisApiUrl: aegis.url,
      siteName: 'Gatekeeper Test',
      siteDomain: 'gatekeeper.test',
      localSignIn: false,
    })
    expect((await fetch(`${base}/api/docs`)).status).toBe(200)
  })

  it('exports request and process metrics', async () => {
    const text = await (await fetch(`${base}/metrics`)).text()
    expect(text).toContain('console_http_requests_total{route="/api/config",method="GET",status="200"}')
    expect(text).toContain('process_cpu_user_seconds_total')
    expect(text).toContain('nodejs_eventloop_lag_seconds')
  })

  it('signs in through the proxy, becomes admin by webhook, and manages routes', async () => {
    const { user } = aegis.addUser({ email: ADMIN_EMAIL_ALLOWED })
    // As Aegis sends it: our site_id, and a numeric user_id that is not the /me uuid.
    const body = aegis.webhookBody('user.verified', user)
    const hook = await fetch(`${base}/api/webhooks/aegis`, {
      method: 'POST',
      headers: webhookHeaders(must(testEnv('', aegis).AEGIS_WEBHOOK_SECRET), body),
      body,
    })
    expect(hook.status).toBe(200)

    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tenant-api-key': 'client-supplied' },
      body: JSON.stringify({ email: user.email, password: user.password }),
    })
    expect(login.status).toBe(200)
    const { token } = (await login.json()) as { token: string }

    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
    const created = await fetch(`${base}/api/admin/routes`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        route_pattern: '/http/*',
        service_name: 'http',
        methods: { GET: { auth_required: false } },
      }),
    })
    expect(created.status).toBe(201)
    const route = (await created.json()) as { route_id: string }
    const removed = await fetch(`${base}/api/admin/routes/${route.route_id}`, { method: 'DELETE', headers: auth })
    expect(removed.status).toBe(204)
    expect(removed.headers.get('content-length') ?? '0').toBe('0')
    expect((await fetch(`${base}/api/admin/routes`)).status).toBe(401)
  })

  it('stops on SIGTERM after finishing the request in flight', async () => {
    aegis.setMode('hang')
    const inFlight = fetch(`${base}/api/admin/routes`, { headers: { authorization: 'Bearer in-flight' } })
    await new Promise((resolve) => setTimeout(resolve, 50))
    app.process.signal('SIGTERM')
    const res = await inFlight
    expect(res.status).toBe(503)
    expect(await app.process.exited).toBe(0)
    aegis.setMode('up')
    await expect(fetch(`${base}/health`)).rejects.toThrow()
    const output = app.lines().join('\n')
    expect(output).toContain('console-api stopped')
    expect(output).not.toContain(aegis.tenantApiKey)
  })
})
