import { send } from '@gatekeeper/testkit/http'
import type { RunningNginx } from '@gatekeeper/testkit/nginx'
import type { CheckContext } from './checks'
import type { CreatedClient } from './control-plane'
import type { Stack, StackNginx } from './stack'

// The configuration most suites run against, made through the control plane on api.example.com:
//   /pub/*     GET public, POST api_key
//   /key/*     GET, POST, DELETE api_key
//   /hmac/*    GET, POST hmac
//   /admin/*   GET api_key (nobody is granted it)
//   /secret/*  GET api_key (only `insider` is granted it)
// Clients: alice (key + secret; /key GET POST, /hmac GET POST, /pub POST), a suspended one, a rate-limited one
// (2 per minute on /key GET) and insider.

export const LIMIT_PER_MINUTE = 2

export interface Scenario {
  routes: { pub: string; key: string; hmac: string; admin: string; secret: string }
  alice: CreatedClient
  suspended: CreatedClient
  limited: CreatedClient
  insider: CreatedClient
}

export async function createScenario(stack: Stack): Promise<Scenario> {
  const { cp } = stack
  const routes = {
    pub: await cp.route({ pattern: '/pub/*', service: 'public-api', methods: { GET: 'public', POST: 'api_key' } }),
    key: await cp.route({
      pattern: '/key/*',
      service: 'key-api',
      methods: { GET: 'api_key', POST: 'api_key', DELETE: 'api_key' },
    }),
    hmac: await cp.route({ pattern: '/hmac/*', service: 'hmac-api', methods: { GET: 'hmac', POST: 'hmac' } }),
    admin: await cp.route({ pattern: '/admin/*', service: 'admin-api', methods: { GET: 'api_key' } }),
    secret: await cp.route({ pattern: '/secret/*', service: 'secret-api', methods: { GET: 'api_key' } }),
  }
  const alice = await cp.client({ name: 'alice' })
  await cp.grant(alice.id, routes.key, ['GET', 'POST'])
  await cp.grant(alice.id, routes.hmac, ['GET', 'POST'])
  await cp.grant(alice.id, routes.pub, ['POST'])
  const suspended = await cp.client({ name: 'suspended', status: 'suspended' })
  await cp.grant(suspended.id, routes.key, ['GET'])
  const limited = await cp.client({ name: 'limited' })
  await cp.grant(limited.id, routes.key, ['GET'])
  await cp.limit(limited.id, { perMinute: LIMIT_PER_MINUTE })
  const insider = await cp.client({ name: 'insider' })
  await cp.grant(insider.id, routes.secret, ['GET'])
  await stack.synced()
  return { routes, alice, suspended, limited, insider }
}

/** Uses up the limited client's quota on /key through `nginx` (the window is per client, so once is enough). */
export async function exhaustLimit(nginx: RunningNginx, scenario: Scenario): Promise<void> {
  for (let i = 0; i < LIMIT_PER_MINUTE; i++) {
    const reply = await send({
      port: nginx.port,
      path: '/key/quota',
      headers: { Authorization: `Bearer ${scenario.limited.apiKey}` },
    })
    if (reply.status !== 200) throw new Error(`quota request ${i} answered ${reply.status}`)
  }
}

export function checkContext(stack: Stack, nginx: StackNginx, scenario: Scenario): CheckContext {
  return {
    nginx,
    authzConnections: nginx.authzConnections,
    authz: stack.authz,
    upstream: stack.upstream,
    publicPath: '/pub/ping',
    keyPath: '/key/items',
    apiKey: scenario.alice.apiKey,
    hmacPath: '/hmac/upload',
    clientId: scenario.alice.id,
    secret: scenario.alice.secret,
    exhaustedKey: scenario.limited.apiKey,
  }
}
