import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type FakeAegis, startFakeAegis, webhookHeaders } from '@gatekeeper/testkit/aegis'
import { createTestDatabase, type TestDatabase } from '@gatekeeper/testkit/postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_EMAIL_ALLOWED, must, testEnv } from './harness'

// The real process: `node --import tsx src/main.ts` on a random port, called over HTTP.

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

let testDb: TestDatabase
let aegis: FakeAegis
let child: ChildProcess
let base: string
let output = ''

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

async function waitHealthy(url: string, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs
  while (Date.now() < until) {
    try {
      if ((await fetch(`${url}/health`)).status === 200) return
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`console-api did not become healthy:\n${output}`)
}

function exited(proc: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null) resolve(proc.exitCode)
    else proc.once('exit', (code) => resolve(code))
  })
}

beforeAll(async () => {
  testDb = await createTestDatabase()
  aegis = await startFakeAegis()
  const port = await freePort()
  base = `http://127.0.0.1:${port}`
  const env = testEnv(testDb.url, aegis, {
    CONSOLE_API_PORT: String(port),
    CONSOLE_API_HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    GATEKEEPER_MASTER_KEY: randomBytes(32).toString('base64'),
  })
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: appDir,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  await waitHealthy(base, 20_000)
}, 60_000)

afterAll(async () => {
  if (child.exitCode === null) {
    child.kill('SIGKILL')
    await exited(child)
  }
  await aegis.stop()
  await testDb.drop()
})

describe('console-api over HTTP', () => {
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
    child.kill('SIGTERM')
    const res = await inFlight
    expect(res.status).toBe(503)
    expect(await exited(child)).toBe(0)
    aegis.setMode('up')
    await expect(fetch(`${base}/health`)).rejects.toThrow()
    expect(output).toContain('console-api stopped')
    expect(output).not.toContain(aegis.tenantApiKey)
  })
})
