import { createDb, type DbHandle } from '@gatekeeper/db/client'
import { send } from '@gatekeeper/testkit/http'

// Configuration for the end-to-end runs goes through the admin API, as the web console sends it: through nginx's
// console host (console-host.conf) to console-api, with an Aegis bearer token, into PostgreSQL, from where authz
// picks the change up. Only the global config version is read from the database directly, to know when authz has
// caught up.

export type AuthSpec = 'public' | 'api_key' | 'hmac' | 'hmac_v2'

export interface RouteSpec {
  pattern: string
  domain?: string
  service?: string
  methods: Readonly<Record<string, AuthSpec>>
}

export interface ClientSpec {
  name: string
  apiKey?: boolean
  sharedSecret?: boolean
  status?: 'active' | 'suspended' | 'revoked'
}

export interface CreatedClient {
  id: string
  name: string
  apiKey: string
  secret: string
}

export interface ControlPlane {
  route(spec: RouteSpec): Promise<string>
  client(spec: ClientSpec): Promise<CreatedClient>
  grant(clientId: string, routeId: string, methods: readonly string[]): Promise<void>
  limit(clientId: string, limits: { perMinute?: number; perDay?: number }): Promise<void>
  setStatus(clientId: string, status: 'active' | 'suspended' | 'revoked'): Promise<void>
  /** The configuration version committed so far (what authz must reach to have seen every change). */
  version(): Promise<number>
  close(): Promise<void>
}

export interface AdminApiTarget {
  /** The port of nginx serving console-host.conf. */
  port: number
  host: string
  /** An Aegis token of a console admin. */
  token: string
}

function methodBody(auth: AuthSpec): Record<string, unknown> {
  switch (auth) {
    case 'public':
      return { auth_required: false, auth_type: null }
    case 'api_key':
      return { auth_required: true, auth_type: 'api_key' }
    case 'hmac':
      return { auth_required: true, auth_type: 'hmac' }
    case 'hmac_v2':
      return { auth_required: true, auth_type: 'hmac', signature_version: 'v2' }
  }
}

function field(value: unknown, name: string): string {
  const found = typeof value === 'object' && value !== null ? Reflect.get(value, name) : undefined
  return typeof found === 'string' ? found : ''
}

export function createControlPlane(databaseUrl: string, api: AdminApiTarget): ControlPlane {
  const handle: DbHandle = createDb(databaseUrl, { max: 2, applicationName: 'gatekeeper-e2e' })

  async function call(method: string, path: string, body: unknown): Promise<unknown> {
    const reply = await send({
      port: api.port,
      method,
      path: `/api/admin${path}`,
      headers: {
        Host: api.host,
        Authorization: `Bearer ${api.token}`,
        'Content-Type': 'application/json',
        Accept: 'application/json',
      },
      body: JSON.stringify(body),
    })
    if (reply.status < 200 || reply.status > 299) {
      throw new Error(`admin API ${method} ${path}: ${reply.status} ${reply.body}`)
    }
    return JSON.parse(reply.body)
  }

  return {
    async route(spec) {
      const methods: Record<string, unknown> = {}
      for (const [method, auth] of Object.entries(spec.methods)) methods[method] = methodBody(auth)
      const route = await call('POST', '/routes', {
        route_pattern: spec.pattern,
        domain: spec.domain ?? 'api.example.com',
        service_name: spec.service ?? 'e2e-api',
        methods,
      })
      return field(route, 'route_id')
    },
    async client(spec) {
      const created = await call('POST', '/clients', {
        client_name: spec.name,
        api_key: spec.apiKey ?? true,
        shared_secret: spec.sharedSecret ?? true,
        status: spec.status ?? 'active',
      })
      return {
        id: field(created, 'client_id'),
        name: field(created, 'client_name'),
        apiKey: field(created, 'api_key'),
        secret: field(created, 'shared_secret'),
      }
    },
    async grant(clientId, routeId, methods) {
      await call('POST', '/permissions', { client_id: clientId, route_id: routeId, allowed_methods: methods })
    },
    async limit(clientId, limits) {
      await call('PUT', `/rate-limits/${clientId}`, {
        requests_per_minute: limits.perMinute ?? null,
        requests_per_day: limits.perDay ?? null,
      })
    },
    async setStatus(clientId, status) {
      await call('PUT', `/clients/${clientId}`, { status })
    },
    async version() {
      const { rows } = await handle.pool.query<{ version: string }>(
        'SELECT version::text AS version FROM config_state WHERE id = 1',
      )
      return Number(rows[0]?.version ?? 0)
    },
    close: () => handle.close(),
  }
}
