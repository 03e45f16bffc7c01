import { sealerFromConfig } from '@gatekeeper/crypto'
import { type Actor, type AdminOps, createAdminOps } from '@gatekeeper/db/admin'
import { createDb, type DbHandle } from '@gatekeeper/db/client'

// Configuration for the end-to-end runs goes through the control-plane operations console-api and the CLI share
// (@gatekeeper/db/admin): the same validation, the same writes, the same change notifications authz listens to.

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
  ops: AdminOps
  route(spec: RouteSpec): Promise<string>
  client(spec: ClientSpec): Promise<CreatedClient>
  grant(clientId: string, routeId: string, methods: readonly string[]): Promise<void>
  limit(clientId: string, limits: { perMinute?: number; perDay?: number }): Promise<void>
  setStatus(clientId: string, status: 'active' | 'suspended' | 'revoked'): Promise<void>
  /** The configuration version committed so far (what authz must reach to have seen every change). */
  version(): Promise<number>
  close(): Promise<void>
}

const ACTOR: Actor = { actor: 'e2e', actorType: 'cli' }

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

export function createControlPlane(databaseUrl: string, masterKey: string): ControlPlane {
  const sealed = sealerFromConfig({ key: masterKey })
  if (!sealed.ok) throw new Error(sealed.error)
  const handle: DbHandle = createDb(databaseUrl, { max: 4, applicationName: 'gatekeeper-e2e' })
  const ops = createAdminOps({ db: handle.db, sealer: sealed.sealer })
  return {
    ops,
    async route(spec) {
      const methods: Record<string, unknown> = {}
      for (const [method, auth] of Object.entries(spec.methods)) methods[method] = methodBody(auth)
      const route = await ops.routes.create(ACTOR, {
        route_pattern: spec.pattern,
        domain: spec.domain ?? 'api.example.com',
        service_name: spec.service ?? 'e2e-api',
        methods,
      })
      return route.route_id
    },
    async client(spec) {
      const created = await ops.clients.create(ACTOR, {
        client_name: spec.name,
        api_key: spec.apiKey ?? true,
        shared_secret: spec.sharedSecret ?? true,
        status: spec.status ?? 'active',
      })
      return {
        id: created.client_id,
        name: created.client_name,
        apiKey: created.api_key ?? '',
        secret: created.shared_secret ?? '',
      }
    },
    async grant(clientId, routeId, methods) {
      await ops.permissions.grant(ACTOR, { client_id: clientId, route_id: routeId, allowed_methods: methods })
    },
    async limit(clientId, limits) {
      await ops.rateLimits.set(ACTOR, clientId, {
        requests_per_minute: limits.perMinute ?? null,
        requests_per_day: limits.perDay ?? null,
      })
    },
    async setStatus(clientId, status) {
      await ops.clients.update(ACTOR, clientId, { status })
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
