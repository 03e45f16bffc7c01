import type { AdminOps } from '@gatekeeper/db/admin'

// The benchmark's own configuration on api.example.com, one route per kind of decision (every one a GET, as
// nginx's auth subrequest is):
//   /bench/public/*       public
//   /bench/key/*          api_key     key (unlimited), metered (limits too high to reach), limited (1 a minute)
//   /bench/hmac/*         hmac (v1)   signer
//   /bench/hmac2/*        hmac, v2    signer
//   /bench/propagation/*  public      renamed over and over by the propagation run

export const BENCH_HOST = 'api.example.com'
export const ACTOR = { actor: 'gatekeeper-bench', actorType: 'system' as const }

export interface BenchClient {
  id: string
  apiKey: string
  secret: string
}

export interface Fixtures {
  routes: { public: string; key: string; hmac: string; hmac2: string; propagation: string }
  key: BenchClient
  metered: BenchClient
  limited: BenchClient
  signer: BenchClient
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

export async function createFixtures(admin: AdminOps): Promise<Fixtures> {
  const route = async (pattern: string, method: Record<string, unknown>) =>
    (
      await admin.routes.create(ACTOR, {
        route_pattern: pattern,
        domain: BENCH_HOST,
        service_name: `bench${pattern.replaceAll('/', '-').replace(/-\*$/, '')}`,
        methods: { GET: method },
      })
    ).route_id
  const routes = {
    public: await route('/bench/public/*', { auth_required: false, auth_type: null }),
    key: await route('/bench/key/*', { auth_required: true, auth_type: 'api_key' }),
    hmac: await route('/bench/hmac/*', { auth_required: true, auth_type: 'hmac' }),
    hmac2: await route('/bench/hmac2/*', { auth_required: true, auth_type: 'hmac', signature_version: 'v2' }),
    propagation: await route('/bench/propagation/*', { auth_required: false, auth_type: null }),
  }
  const client = async (name: string, grants: readonly string[]): Promise<BenchClient> => {
    const created = await admin.clients.create(ACTOR, { client_name: name, api_key: true, shared_secret: true })
    for (const routeId of grants) {
      await admin.permissions.grant(ACTOR, {
        client_id: created.client_id,
        route_id: routeId,
        allowed_methods: ['GET'],
      })
    }
    return { id: created.client_id, apiKey: text(created.api_key), secret: text(created.shared_secret) }
  }
  const key = await client('bench-key', [routes.key])
  const metered = await client('bench-metered', [routes.key])
  const limited = await client('bench-limited', [routes.key])
  const signer = await client('bench-signer', [routes.hmac, routes.hmac2])
  // Metered: every request costs the admission round trip to Redis, and none is refused.
  await admin.rateLimits.set(ACTOR, metered.id, { requests_per_minute: 10_000_000, requests_per_day: 1_000_000_000 })
  await admin.rateLimits.set(ACTOR, limited.id, { requests_per_minute: 1 })
  return { routes, key, metered, limited, signer }
}
