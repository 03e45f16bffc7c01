// Traffic that exercises every panel and rule: config changes through the admin operations (so authz
// applies notifications), allowed / denied / unmatched / public / rate-limited / replayed requests on both
// authz replicas, admin API calls and webhooks on console-api, an Aegis outage and a Redis outage.

import { randomBytes } from 'node:crypto'
import { signRequestV1 } from '@gatekeeper/crypto'
import { webhookHeaders } from '@gatekeeper/testkit/aegis'
import { waitUntil } from '@gatekeeper/testkit/ports'
import { ALLOWLISTED_ADMIN, type Stack, WEBHOOK_SECRET } from './stack'

const ACTOR = { actor: 'obs-proof', actorType: 'system' as const }
const HOST = 'api.obs-proof.test'

export interface Credentials {
  okKey: string
  limitedKey: string
  signer: { clientId: string; secret: string }
  adminEmail: string
}

function nginxHeaders(method: string, uri: string, extra: Record<string, string> = {}, host = HOST) {
  return {
    'X-Original-Method': method,
    'X-Original-Host': host,
    'X-Original-URI': uri,
    'X-Real-IP': '203.0.113.7',
    ...extra,
  }
}

async function ask(url: string, headers: Record<string, string>): Promise<string> {
  const res = await fetch(`${url}/authz`, { headers })
  await res.arrayBuffer()
  return `${res.status} ${res.headers.get('x-auth-reason') ?? ''}`.trim()
}

export async function configure(stack: Stack): Promise<Credentials> {
  const orders = await stack.admin.routes.create(ACTOR, {
    route_pattern: '/v1/orders/*',
    domain: HOST,
    service_name: 'orders',
    methods: { GET: { auth_required: true, auth_type: 'api_key' }, POST: { auth_required: true, auth_type: 'hmac' } },
  })
  await stack.admin.routes.create(ACTOR, {
    route_pattern: '/public/*',
    domain: HOST,
    service_name: 'public',
    methods: { GET: { auth_required: false, auth_type: null } },
  })
  const ok = await stack.admin.clients.create(ACTOR, { client_name: 'orders-app', api_key: true })
  const limited = await stack.admin.clients.create(ACTOR, { client_name: 'limited-app', api_key: true })
  const signer = await stack.admin.clients.create(ACTOR, { client_name: 'signer-app', shared_secret: true })
  for (const [client, methods] of [
    [ok, ['GET']],
    [limited, ['GET']],
    [signer, ['POST']],
  ] as const) {
    await stack.admin.permissions.grant(ACTOR, {
      client_id: client.client_id,
      route_id: orders.route_id,
      allowed_methods: methods,
    })
  }
  await stack.admin.rateLimits.set(ACTOR, limited.client_id, { requests_per_minute: 5 })
  const adminEmail = `ops-${randomBytes(3).toString('hex')}@example.com`
  await stack.admin.admins.add(ACTOR, { email: adminEmail })
  const creds = {
    okKey: ok.api_key ?? '',
    limitedKey: limited.api_key ?? '',
    signer: { clientId: signer.client_id, secret: signer.shared_secret ?? '' },
    adminEmail,
  }
  // Every replica has applied the changes (by notification) before traffic starts.
  for (const a of stack.authz) {
    await waitUntil(
      `${a.name} sees the config`,
      async () =>
        (await ask(a.url, nginxHeaders('GET', '/v1/orders/1', { Authorization: `Bearer ${creds.okKey}` }))) ===
        '200 authenticated',
      { timeoutMs: 10_000 },
    )
  }
  return creds
}

export async function authzTraffic(stack: Stack, creds: Credentials): Promise<string[]> {
  const seen: string[] = []
  const bearer = (key: string) => ({ Authorization: `Bearer ${key}` })
  for (const a of stack.authz) {
    for (let i = 0; i < 20; i++)
      seen.push(await ask(a.url, nginxHeaders('GET', `/v1/orders/${i}`, bearer(creds.okKey))))
    for (let i = 0; i < 5; i++) {
      seen.push(await ask(a.url, nginxHeaders('GET', '/public/status')))
      seen.push(await ask(a.url, nginxHeaders('GET', '/v1/orders/1', bearer(`gk_${randomBytes(16).toString('hex')}`))))
      seen.push(await ask(a.url, nginxHeaders('GET', '/v1/orders/1')))
      seen.push(await ask(a.url, nginxHeaders('GET', '/nowhere', bearer(creds.okKey), 'unknown.obs-proof.test')))
    }
    for (let i = 0; i < 6; i++)
      seen.push(await ask(a.url, nginxHeaders('GET', '/v1/orders/9', bearer(creds.limitedKey))))
    const signed = signRequestV1({ ...creds.signer, method: 'POST', path: '/v1/orders/2' })
    seen.push(await ask(a.url, nginxHeaders('POST', '/v1/orders/2', { Authorization: signed.authorization })))
    seen.push(await ask(a.url, nginxHeaders('POST', '/v1/orders/2', { Authorization: signed.authorization })))
  }
  return seen
}

/** Redis stops: rate limits fail open (counted), nonces fail closed; then Redis comes back. */
export async function redisOutage(stack: Stack, creds: Credentials): Promise<string[]> {
  const seen: string[] = []
  await stack.redis.stop()
  for (const a of stack.authz) {
    for (let i = 0; i < 5; i++) {
      seen.push(await ask(a.url, nginxHeaders('GET', '/v1/orders/3', { Authorization: `Bearer ${creds.limitedKey}` })))
    }
  }
  await stack.redis.start()
  return seen
}

async function consoleCall(stack: Stack, method: string, path: string, token: string, body?: unknown): Promise<number> {
  const res = await fetch(`${stack.console.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  await res.arrayBuffer()
  return res.status
}

async function webhook(stack: Stack, email: string, secret = WEBHOOK_SECRET): Promise<number> {
  const timestamp = Math.floor(Date.now() / 1000)
  const body = JSON.stringify({
    event_type: 'user.verified',
    site_id: 'site-1',
    user_id: randomBytes(8).toString('hex'),
    email,
    aegis_role: 'user',
    timestamp,
  })
  const res = await fetch(`${stack.console.url}/api/webhooks/aegis`, {
    method: 'POST',
    headers: webhookHeaders(secret, body, { timestamp }),
    body,
  })
  await res.arrayBuffer()
  return res.status
}

export async function consoleTraffic(stack: Stack, creds: Credentials): Promise<number[]> {
  const token = stack.aegis.addUser({ email: creds.adminEmail }).token
  const statuses = [
    await consoleCall(stack, 'GET', '/api/admin/routes', token),
    await consoleCall(stack, 'POST', '/api/admin/routes', token, {
      route_pattern: '/v2/*',
      domain: HOST,
      service_name: 'orders-v2',
      methods: { GET: { auth_required: true, auth_type: 'api_key' } },
    }),
    await consoleCall(stack, 'GET', '/api/admin/routes', token),
    await consoleCall(stack, 'GET', '/api/admin/routes', 'not-a-token'),
    await webhook(stack, ALLOWLISTED_ADMIN),
    await webhook(stack, 'someone@example.com', 'wrong-secret'),
  ]
  stack.aegis.setMode('error')
  statuses.push(
    await consoleCall(stack, 'GET', '/api/admin/routes', stack.aegis.addUser({ email: creds.adminEmail }).token),
  )
  stack.aegis.setMode('up')
  return statuses
}

/** Keeps rates above zero while the queries run: a few decisions and uncached admin calls per second. */
export function trickle(stack: Stack, creds: Credentials): { stop(): Promise<void> } {
  let running = true
  const loop = (async () => {
    while (running) {
      for (const a of stack.authz) {
        await ask(a.url, nginxHeaders('GET', '/v1/orders/5', { Authorization: `Bearer ${creds.okKey}` })).catch(
          () => '',
        )
        await ask(a.url, nginxHeaders('GET', '/nowhere', {}, 'unknown.obs-proof.test')).catch(() => '')
      }
      await consoleCall(
        stack,
        'GET',
        '/api/admin/routes',
        stack.aegis.addUser({ email: creds.adminEmail }).token,
      ).catch(() => 0)
      await new Promise((r) => setTimeout(r, 250))
    }
  })()
  return {
    async stop() {
      running = false
      await loop
    },
  }
}
