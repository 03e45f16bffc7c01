import { randomBytes, randomUUID } from 'node:crypto'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { generateApiKey, sealerFromConfig, signAegisWebhook, signRequestV1 } from '@gatekeeper/crypto'
import { createAdminOps } from '@gatekeeper/db/admin'
import { createDb } from '@gatekeeper/db/client'
import { type FakeAegis, startFakeAegis } from '@gatekeeper/testkit/aegis'
import { makeNginxDir, type RunningNginx, startNginx } from '@gatekeeper/testkit/nginx'
import { useTestDatabase } from '@gatekeeper/testkit/postgres'
import { stopAll } from '@gatekeeper/testkit/process'
import { readShippedConfig } from '@gatekeeper/testkit/template'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AdminClient, adminClient, field } from '../src/http/admin-client'
import { rawRequest } from '../src/http/raw'
import { type EchoUpstream, type RunningApps, startApps, startEchoUpstream } from '../src/stack/e2e'

// No credential ever reaches a log line. authz and console-api run at LOG_LEVEL=debug behind nginx; the test
// creates API keys and shared secrets, rotates them, signs requests, signs in through the Aegis proxy (wrong
// and right passwords, registration, password reset), calls the admin API with good, bad and non-admin tokens,
// delivers webhooks, and drives decisions of every kind. Then it stops everything (flushing the asynchronous
// logs) and searches every line of stdout and stderr, and nginx's logs, for every secret it used or was given
// — whole and as any 16-character piece.

const db = useTestDatabase()
let aegis: FakeAegis
let upstream: EchoUpstream
let apps: RunningApps
let nginx: RunningNginx
let logDir: string
const secrets = new Map<string, string>()
/** Not secret, and logged on purpose: the positive control of the search. */
let aliceId = ''
const remember = (label: string, value: string) => {
  secrets.set(label, value)
  return value
}

const LOG_FORMAT = `log_format gatekeeper_no_query '$remote_addr [$time_local] "$request_method $uri $server_protocol" $status $body_bytes_sent $request_id';\n`

beforeAll(async () => {
  const dbUrl = new URL(db.url)
  dbUrl.password = remember('database password', `dbpw-${randomBytes(12).toString('hex')}`) // trust auth ignores it
  const masterKey = remember('master key', randomBytes(32).toString('base64'))
  const webhookSecret = remember('webhook secret', `whsec_${randomBytes(16).toString('hex')}`)
  aegis = await startFakeAegis({ tenantApiKey: `tenant_${randomBytes(16).toString('hex')}` })
  remember('tenant API key', aegis.tenantApiKey)
  upstream = await startEchoUpstream()
  const redisPrefix = `gk-logs-${randomBytes(4).toString('hex')}:`
  const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
  const common = {
    DATABASE_URL: dbUrl.toString(),
    GATEKEEPER_MASTER_KEY: masterKey,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: redisPrefix,
    LOG_LEVEL: 'debug',
    SHUTDOWN_GRACE_MS: '1000',
  }
  apps = await startApps(common, aegis, {
    authz: { AUDIT_LOG: 'true' },
    console: {
      AEGIS_WEBHOOK_SECRET: webhookSecret,
      AEGIS_ADMIN_EMAILS: 'provisioned@example.com',
      AEGIS_TIMEOUT_MS: '300',
      AEGIS_AUTH_CACHE_TTL_SECONDS: '0',
      // Local sign-in next to Aegis, so its codes and sessions are searched for too.
      CONSOLE_LOCAL_SIGNIN: 'true',
    },
  })
  logDir = makeNginxDir('logs')
  const shipped = readShippedConfig('protected-api.conf')
  const template =
    LOG_FORMAT +
    shipped.replace(
      'server_name api.example.com;',
      `server_name api.example.com;\n    access_log ${join(logDir, 'default.log')} combined;\n    access_log ${join(logDir, 'no-query.log')} gatekeeper_no_query;`,
    )
  nginx = await startNginx({
    name: 'secrets',
    template,
    values: { AUTHZ_UPSTREAM: `127.0.0.1:${apps.authz.port}`, UPSTREAM: `127.0.0.1:${upstream.port}` },
  })
}, 120_000)

afterAll(async () => {
  await stopAll()
  await upstream?.close()
  await aegis?.stop()
  if (logDir !== undefined) rmSync(logDir, { recursive: true, force: true })
})

async function decide(port: number, target: string, headers: Array<[string, string]>, direct: boolean, body?: string) {
  const lines: Array<[string, string]> = direct
    ? [
        ['Host', 'api.example.com'],
        ['X-Original-URI', target],
        ['X-Original-Method', body === undefined ? 'GET' : 'POST'],
        ['X-Original-Host', 'api.example.com'],
        ...headers,
      ]
    : [['Host', 'api.example.com'], ...headers]
  return rawRequest({
    port,
    method: body === undefined ? 'GET' : 'POST',
    target: direct ? '/authz' : target,
    headers: lines,
    body,
  })
}

async function authProxy(call: string, body: Record<string, unknown>) {
  return rawRequest({
    port: apps.api.port,
    method: 'POST',
    target: `/api/auth/${call}`,
    headers: [
      ['Host', 'localhost'],
      ['Content-Type', 'application/json'],
    ],
    body: JSON.stringify(body),
  })
}

describe('credentials in logs', () => {
  let admin: AdminClient

  it('drives traffic of every kind', async () => {
    // The first console admin, as the CLI would add it; everything else through the admin API.
    const { user, token } = aegis.addUser()
    remember('admin token', token)
    remember('admin password', user.password)
    const handle = createDb(db.url, { max: 1 })
    const sealer = sealerFromConfig({ key: secrets.get('master key') ?? '' })
    if (!sealer.ok) throw new Error(sealer.error)
    const setupOps = createAdminOps({ db: handle.db, sealer: sealer.sealer })
    await setupOps.admins.add(
      { actor: 'test-setup', actorType: 'system' },
      { email: user.email, aegis_user_id: user.uuid },
    )
    const signInCode = remember('local sign-in code', (await setupOps.tokens.createSignInCode(600, new Date())).code)
    await handle.close()
    admin = adminClient(apps.api.port, token)

    const route = await admin.call('POST', '/routes', {
      route_pattern: '/key/*',
      domain: 'api.example.com',
      service_name: 'keys',
      methods: {
        GET: { auth_required: true, auth_type: 'api_key' },
        POST: { auth_required: true, auth_type: 'api_key' },
      },
    })
    expect(route.status, route.text).toBe(201)
    const routeId = field(route, 'route_id')
    const clients: Array<{ id: string; key: string; secret: string }> = []
    for (const name of ['alice', 'bob']) {
      const created = await admin.call('POST', '/clients', { client_name: name, api_key: true, shared_secret: true })
      expect(created.status, created.text).toBe(201)
      const id = field(created, 'client_id')
      const key = remember(`${name} API key`, field(created, 'api_key'))
      const secret = remember(`${name} shared secret`, field(created, 'shared_secret'))
      expect(
        (
          await admin.call('POST', '/permissions', {
            client_id: id,
            route_id: routeId,
            allowed_methods: ['GET', 'POST'],
          })
        ).status,
      ).toBe(201)
      clients.push({ id, key, secret })
    }
    const [alice, bob] = clients
    if (alice === undefined || bob === undefined) throw new Error('clients missing')
    aliceId = alice.id
    const rotatedKey = await admin.call('POST', `/clients/${alice.id}/rotate`, {
      credential: 'api_key',
      grace_seconds: 600,
    })
    const aliceKey2 = remember('alice rotated API key', field(rotatedKey, 'api_key'))
    const rotatedSecret = await admin.call('POST', `/clients/${alice.id}/rotate`, {
      credential: 'shared_secret',
      grace_seconds: 600,
    })
    const aliceSecret2 = remember('alice rotated shared secret', field(rotatedSecret, 'shared_secret'))

    // Admin API tokens and a local sign-in session: created, used for reads and writes, forged, revoked.
    const tokenReply = await admin.call('POST', '/tokens', { name: 'logs-ci', scope: 'write' })
    expect(tokenReply.status, tokenReply.text).toBe(201)
    const adminToken = remember('admin API token', field(tokenReply, 'token'))
    const tokenClient = adminClient(apps.api.port, adminToken)
    expect((await tokenClient.call('GET', '/routes')).status).toBe(200)
    expect((await tokenClient.call('POST', '/tokens', { name: 'logs-read', scope: 'read' })).status).toBe(201)
    const forged = remember('forged admin API token', `${adminToken.slice(0, -6)}AAAAAA`)
    expect((await adminClient(apps.api.port, forged).call('GET', '/routes')).status).toBe(401)
    const exchanged = await authProxy('local-sign-in', { code: signInCode })
    expect(exchanged.status, exchanged.body).toBe(200)
    const session = remember('local session token', String(JSON.parse(exchanged.body).token))
    expect((await adminClient(apps.api.port, session).call('GET', '/audit')).status).toBe(200)
    expect((await authProxy('local-sign-in', { code: signInCode })).status).toBe(401)
    expect((await admin.call('DELETE', `/tokens/${field(tokenReply, 'token_id')}`)).status).toBe(204)
    expect((await tokenClient.call('GET', '/routes')).status).toBe(401)

    // Admin API with a token Aegis does not know, a non-admin's token, and while Aegis fails.
    const bogus = remember('bogus admin token', randomBytes(24).toString('base64url'))
    expect((await adminClient(apps.api.port, bogus).call('GET', '/routes')).status).toBe(401)
    const nonAdmin = aegis.addUser()
    remember('non-admin token', nonAdmin.token)
    expect((await adminClient(apps.api.port, nonAdmin.token).call('GET', '/routes')).status).toBe(403)
    aegis.setMode('error')
    const during = remember('token used while Aegis fails', aegis.issueToken(user.uuid))
    expect((await adminClient(apps.api.port, during).call('GET', '/routes')).status).toBe(503)
    // The sign-in proxy passes Aegis's own status back (the contract), here its 500.
    expect((await authProxy('login', { email: user.email, password: user.password })).status).toBeGreaterThanOrEqual(
      500,
    )
    aegis.setMode('up')

    // Sign-in proxy: wrong and right passwords, registration, verification, password reset.
    const wrong = remember('wrong password', `Wrong-${randomBytes(8).toString('hex')}`)
    expect((await authProxy('login', { email: user.email, password: wrong })).status).toBe(401)
    const login = await authProxy('login', { email: user.email, password: user.password })
    expect(login.status).toBe(200)
    remember('login token', String(JSON.parse(login.body).token))
    const newPassword = remember('registration password', `Reg-${randomBytes(10).toString('hex')}`)
    const email = `new-${randomUUID()}@example.com`
    const registered = await authProxy('register', { email, password: newPassword })
    expect(registered.status).toBe(201)
    const uuid = String(JSON.parse(registered.body).user_uuid)
    const verification = remember('verification token', aegis.emailedToken('verification', uuid) ?? '')
    expect((await authProxy('check-verification-token', { token: verification })).status).toBe(200)
    expect((await authProxy('verify-email', { token: verification })).status).toBe(200)
    expect((await authProxy('request-password-reset', { email })).status).toBeLessThan(300)
    const reset = remember('reset token', aegis.emailedToken('reset', uuid) ?? '')
    const resetPassword = remember('reset password', `Reset-${randomBytes(10).toString('hex')}`)
    expect((await authProxy('reset-password', { token: reset, new_password: resetPassword })).status).toBe(200)
    expect((await authProxy('login', { email, password: 'short' })).status).toBeGreaterThanOrEqual(400)

    // Webhooks: a forged one and an authentic one.
    const hook = JSON.stringify({
      event: 'user.verified',
      data: { uuid: randomUUID(), email: 'provisioned@example.com' },
    })
    const ts = Math.floor(Date.now() / 1000)
    for (const signature of [
      'sha256=00',
      signAegisWebhook({ secret: secrets.get('webhook secret') ?? '', timestamp: ts, rawBody: hook }),
    ]) {
      const reply = await rawRequest({
        port: apps.api.port,
        method: 'POST',
        target: '/api/webhooks/aegis',
        headers: [
          ['Host', 'localhost'],
          ['Content-Type', 'application/json'],
          ['X-Aegis-Signature', signature],
          ['X-Aegis-Timestamp', String(ts)],
        ],
        body: hook,
      })
      expect(reply.status).toBeLessThan(500)
    }

    // Decisions, straight to authz and through nginx, once authz has the configuration.
    const unknownKey = remember('unknown API key', generateApiKey())
    const sign = (secret: string, nonce?: string) =>
      signRequestV1({
        clientId: alice.id,
        secret,
        method: 'GET',
        path: '/key/x',
        ...(nonce === undefined ? {} : { nonce }),
      }).authorization
    const replayed = sign(alice.secret)
    const cases: Array<{ target: string; headers: Array<[string, string]>; body?: string }> = [
      { target: '/key/x', headers: [['Authorization', `Bearer ${alice.key}`]] },
      { target: '/key/x', headers: [['Authorization', `ApiKey ${aliceKey2}`]] },
      { target: `/key/x?api_key=${bob.key}`, headers: [] },
      { target: `/key/x?api_key=${alice.key}`, headers: [['Authorization', `Bearer ${bob.key}`]] },
      { target: '/key/x', headers: [['Authorization', `Bearer ${unknownKey}`]] },
      { target: '/key/x', headers: [['Authorization', `${unknownKey.slice(0, -1)}x`]] },
      // Refused paths and credentials in two places log the raw target, api_key values redacted.
      { target: `/key/%zz?api_key=${alice.key}`, headers: [] },
      { target: `/key/../x?API_KEY=${alice.key};api_key=${bob.key}`, headers: [] },
      { target: `/key/x?api_key=${alice.key}&api_key%00=${bob.key}`, headers: [] },
      { target: '/nowhere', headers: [['Authorization', `Bearer ${bob.key}`]] },
      { target: '/key/x', headers: [['Authorization', sign(alice.secret)]] },
      { target: '/key/x', headers: [['Authorization', sign(aliceSecret2)]] },
      { target: '/key/x', headers: [['Authorization', sign(bob.secret)]] },
      { target: '/key/x', headers: [['Authorization', replayed]] },
      { target: '/key/x', headers: [['Authorization', replayed]] },
      { target: '/key/x', headers: [['Authorization', `Basic ${Buffer.from(`u:${alice.key}`).toString('base64')}`]] },
    ]
    const deadline = Date.now() + 5000
    while ((await decide(apps.authz.port, '/key/x', [['Authorization', `Bearer ${aliceKey2}`]], true)).status !== 200) {
      if (Date.now() > deadline) throw new Error('authz never saw the configuration')
    }
    let statuses = 0
    for (const c of cases) {
      statuses += (await decide(apps.authz.port, c.target, c.headers, true)).status
      statuses += (await decide(nginx.port, c.target, c.headers, false)).status
    }
    const body = '{"amount":1}'
    const signedBody = signRequestV1({ clientId: alice.id, secret: alice.secret, method: 'POST', path: '/key/x', body })
    expect(
      (await decide(apps.authz.port, '/key/x', [['Authorization', signedBody.authorization]], true, body)).status,
    ).toBe(200)
    expect(
      (
        await decide(
          apps.authz.port,
          '/key/x',
          [
            ['Authorization', `Bearer ${alice.key}`],
            ['Authorization', `Bearer ${bob.key}`],
          ],
          true,
        )
      ).status,
    ).toBe(400)
    expect(statuses).toBeGreaterThan(0)

    // A suspended client's key, then a deleted client's.
    expect((await admin.call('PUT', `/clients/${bob.id}`, { status: 'suspended' })).status).toBe(200)
    await decide(nginx.port, '/key/x', [['Authorization', `Bearer ${bob.key}`]], false)
    expect((await admin.call('DELETE', `/clients/${bob.id}`)).status).toBe(204)
    await decide(nginx.port, '/key/x', [['Authorization', `Bearer ${bob.key}`]], false)
  })

  it('writes none of them to any log', async () => {
    // Graceful stops flush the asynchronous loggers.
    await apps.authz.stop()
    await apps.api.stop()
    await nginx.stop()
    const sources: Record<string, string[]> = {
      authz: apps.authz.lines(),
      'console-api': apps.api.lines(),
      'nginx (stderr)': [...nginx.process.lines],
      'nginx access log (path without query)': readFileSync(join(logDir, 'no-query.log'), 'utf8').split('\n'),
    }
    // The logs are not empty: at debug level both services wrote plenty (a search of nothing proves nothing).
    expect(sources.authz?.filter((l) => l.includes('"authz decision"')).length).toBeGreaterThan(30)
    expect(sources['console-api']?.filter((l) => l.includes('"request"')).length).toBeGreaterThan(20)
    expect(sources['nginx access log (path without query)']?.length).toBeGreaterThan(15)

    // The search finds what is there: the client id (not a secret) is in authz's audit lines.
    expect(sources.authz?.some((line) => line.includes(aliceId))).toBe(true)

    const leaks: string[] = []
    for (const [label, secret] of secrets) {
      expect(secret.length, label).toBeGreaterThanOrEqual(8)
      const needles = [secret]
      for (let i = 0; i + 16 <= secret.length; i += 8) needles.push(secret.slice(i, i + 16))
      for (const [source, lines] of Object.entries(sources)) {
        for (const line of lines) {
          if (needles.some((needle) => line.includes(needle)))
            leaks.push(`${label} in ${source}: ${line.slice(0, 200)}`)
        }
      }
    }
    expect(leaks).toEqual([])
  })

  it("nginx's default access log format does record a ?api_key= (why docs/security.md asks for another)", () => {
    const combined = readFileSync(join(logDir, 'default.log'), 'utf8')
    expect(combined).toContain(`api_key=${secrets.get('bob API key')}`)
  })
})
