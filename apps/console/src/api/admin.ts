import {
  type AdminTokenCreateInput,
  type AuditQuery,
  adminTokenCreatedWireSchema,
  adminTokenWireSchema,
  auditEntryWireSchema,
  type ClientCreateInput,
  type ClientUpdateInput,
  type ConsoleAdminCreateInput,
  clientCreatedWireSchema,
  clientWireSchema,
  consoleAdminWireSchema,
  type PermissionGrantInput,
  permissionWireSchema,
  type RateLimitSetInput,
  type RotateCredentialInput,
  type RouteCreateInput,
  type RouteUpdateInput,
  rateLimitUsageWireSchema,
  rateLimitWireSchema,
  routeWireSchema,
} from '@gatekeeper/models'
import { z } from 'zod'
import type { HttpClient } from './http'
import {
  type CredentialUpdateInput,
  changesetDetailSchema,
  changesetPageSchema,
  clientDetailSchema,
  clientListItemSchema,
  clientUsageSchema,
  type UsageWindow,
} from './lifecycle'

/** Lists are plain arrays (compat doc); a paginated variant may wrap them, so both are read. */
function listOf<S extends z.ZodType>(item: S) {
  return z.union([
    z.array(item),
    z.object({ items: z.array(item) }).transform((page) => page.items),
    z.object({ data: z.array(item) }).transform((page) => page.data),
  ])
}

/**
 * The answer to a rotation: the new raw value, once. Read leniently (the client object with the new
 * `api_key`/`shared_secret`, or a `{credential, value}` pair) so the console shows it either way.
 */
const rotateResultSchema = z
  .looseObject({
    api_key: z.string().optional(),
    shared_secret: z.string().optional(),
    value: z.string().optional(),
    grace_until: z.number().nullable().optional(),
  })
  .transform((result) => ({
    value: result.api_key ?? result.shared_secret ?? result.value ?? null,
    graceUntil: result.grace_until ?? null,
  }))

const anyJson = z.unknown()
const id = encodeURIComponent

export function createAdminApi(http: HttpClient) {
  return {
    /** Whether `token` belongs to a console admin: any admin read answers 200, a non-admin 403. */
    checkAccess: (token: string) =>
      http.request('GET', '/api/admin/routes', z.unknown(), { query: { limit: 1 }, token }).then(() => undefined),
    listRoutes: () => http.request('GET', '/api/admin/routes', listOf(routeWireSchema)),
    getRoute: (routeId: string) => http.request('GET', `/api/admin/routes/${id(routeId)}`, routeWireSchema),
    createRoute: (body: RouteCreateInput) => http.request('POST', '/api/admin/routes', routeWireSchema, { body }),
    updateRoute: (routeId: string, body: RouteUpdateInput) =>
      http.request('PUT', `/api/admin/routes/${id(routeId)}`, routeWireSchema, { body }),
    deleteRoute: (routeId: string) => http.send('DELETE', `/api/admin/routes/${id(routeId)}`),

    /** `unused_for` (`30d`, `90d`): only clients with no accepted request for that long. */
    listClients: (filter: { unused_for?: string } = {}) =>
      http.request('GET', '/api/admin/clients', listOf(clientListItemSchema), { query: filter }),
    getClient: (clientId: string) => http.request('GET', `/api/admin/clients/${id(clientId)}`, clientDetailSchema),
    createClient: (body: ClientCreateInput) =>
      http.request('POST', '/api/admin/clients', clientCreatedWireSchema, { body }),
    updateClient: (clientId: string, body: ClientUpdateInput) =>
      http.request('PUT', `/api/admin/clients/${id(clientId)}`, clientWireSchema, { body }),
    rotateCredential: (clientId: string, body: RotateCredentialInput) =>
      http.request('POST', `/api/admin/clients/${id(clientId)}/rotate`, rotateResultSchema, { body }),
    deleteClient: (clientId: string) => http.send('DELETE', `/api/admin/clients/${id(clientId)}`),
    updateCredential: (clientId: string, credentialId: string, body: CredentialUpdateInput) =>
      http.request('PUT', `/api/admin/clients/${id(clientId)}/credentials/${id(credentialId)}`, anyJson, { body }),
    clientUsage: (clientId: string, window: UsageWindow) =>
      http.request('GET', `/api/admin/clients/${id(clientId)}/usage`, clientUsageSchema, { query: { window } }),

    listPermissions: (filter: { client_id?: string; route_id?: string } = {}) =>
      http.request('GET', '/api/admin/permissions', listOf(permissionWireSchema), { query: filter }),
    grantPermission: (body: PermissionGrantInput) =>
      http.request('POST', '/api/admin/permissions', permissionWireSchema, { body }),
    revokePermission: (permissionId: string) => http.send('DELETE', `/api/admin/permissions/${id(permissionId)}`),

    listRateLimits: () => http.request('GET', '/api/admin/rate-limits', listOf(rateLimitWireSchema)),
    setRateLimit: (clientId: string, body: RateLimitSetInput) =>
      http.request('PUT', `/api/admin/rate-limits/${id(clientId)}`, anyJson, { body }),
    clearRateLimit: (clientId: string) => http.send('DELETE', `/api/admin/rate-limits/${id(clientId)}`),
    rateLimitUsage: (clientId: string) =>
      http.request('GET', `/api/admin/rate-limits/${id(clientId)}/usage`, rateLimitUsageWireSchema),

    listAdmins: () => http.request('GET', '/api/admin/admins', listOf(consoleAdminWireSchema)),
    addAdmin: (body: ConsoleAdminCreateInput) =>
      http.request('POST', '/api/admin/admins', consoleAdminWireSchema, { body }),
    removeAdmin: (adminId: string) => http.send('DELETE', `/api/admin/admins/${id(adminId)}`),

    /**
     * Ends the session on the server (a local session is revoked, an Aegis token leaves the sign-in cache), so a
     * copy of the token stops working too. Its 401 ends no session: the console is signing out anyway.
     */
    signOut: (token: string) => http.send('DELETE', '/api/admin/session', { token }),

    listTokens: () => http.request('GET', '/api/admin/tokens', listOf(adminTokenWireSchema)),
    createToken: (body: AdminTokenCreateInput) =>
      http.request('POST', '/api/admin/tokens', adminTokenCreatedWireSchema, { body }),
    revokeToken: (tokenId: string) => http.send('DELETE', `/api/admin/tokens/${id(tokenId)}`),

    listAudit: (query: Partial<AuditQuery>) =>
      http.request('GET', '/api/admin/audit', listOf(auditEntryWireSchema), { query }),

    listChangesets: (cursor?: string) =>
      http.request('GET', '/api/admin/config/changesets', changesetPageSchema, { query: { cursor } }),
    getChangeset: (changesetId: string) =>
      http.request('GET', `/api/admin/config/changesets/${id(changesetId)}`, changesetDetailSchema),
  }
}

export type AdminApi = ReturnType<typeof createAdminApi>
