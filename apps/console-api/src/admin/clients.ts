import type { AdminOps } from '@gatekeeper/db/admin'
import {
  clientCreatedWireSchema,
  clientCreateSchema,
  clientDetailWireSchema,
  clientUpdateSchema,
  clientUsageWireSchema,
  clientWireSchema,
  credentialUpdateSchema,
  credentialWireSchema,
  paginationQuerySchema,
  rotateCredentialSchema,
  usageQuerySchema,
} from '@gatekeeper/models'
import { z } from '@hono/zod-openapi'
import type { Metrics } from '../metrics'
import { actorOf, adminRouter, rawJson, setEtag } from './kit'
import { adminOperations, errorResponses, idParam, ifMatchHeader, jsonBody, jsonResponse, named } from './operations'
import { versionedWrites, withEtag } from './writes'

const Client = named(clientWireSchema, 'Client')
const ClientDetail = named(clientDetailWireSchema, 'ClientDetail')
const Credential = named(credentialWireSchema, 'Credential')
const ClientUsage = named(clientUsageWireSchema, 'ClientUsage')
const ClientCreated = named(clientCreatedWireSchema, 'ClientCreated')
const ClientRotated = clientCreatedWireSchema
  .extend({ previous_expires_at: z.number().int().nullable() })
  .openapi('ClientRotated')
const operation = adminOperations('clients')
const params = idParam('client_id')
const RAW_CREDENTIALS = 'Raw credentials appear in this answer only (Cache-Control: no-store); store them now.'

const list = operation('get', '/', {
  summary: 'List clients',
  description:
    'A plain array; never carries a raw credential. `limit`/`offset` paginate (opt-in). `unused_for` (`90d`, `12h` or ' +
    'seconds) keeps only clients none of whose credentials was accepted within that span; a client never used ' +
    'counts when it was created before the span began.',
  request: {
    query: paginationQuerySchema.extend({
      unused_for: z.string().optional().openapi({ example: '90d', description: 'A span: 90d, 12h or seconds' }),
    }),
  },
  responses: { 200: jsonResponse(z.array(Client), 'Every client'), ...errorResponses(400) },
})
const create = operation('post', '/', {
  summary: 'Create a client and its credentials',
  description: RAW_CREDENTIALS,
  request: { body: jsonBody(clientCreateSchema, 'Which credentials to generate (at least one)') },
  responses: {
    201: jsonResponse(ClientCreated, 'The client with its raw credentials'),
    ...errorResponses(400, 409, 413),
  },
})
const get = operation('get', '/{client_id}', {
  summary: 'Read a client, with its credentials',
  description:
    '`credentials` lists the live credentials (current, and previous ones still in their rotation grace period): ' +
    'kind, API key prefix, created, expiry, last used, IP allowlist; never secret material. `last_used_at` is the ' +
    'latest over them, written by authz in batches (up to its flush interval behind).',
  request: { params },
  responses: { 200: jsonResponse(ClientDetail, 'The client (ETag: its version)'), ...errorResponses(404) },
})
const credentialParams = z.object({
  ...idParam('client_id').shape,
  ...idParam('credential_id').shape,
})
const updateCredential = operation('put', '/{client_id}/credentials/{credential_id}', {
  summary: "Set or clear one credential's expiry and IP allowlist",
  description:
    '`expires_at` (epoch seconds, null clears): authz refuses the credential from that second on (401 ' +
    '`credential_expired`). `ip_allowlist` (IPv4/IPv6 addresses and CIDRs, null clears) applies on top of the ' +
    "client's own list: both must admit the caller (403 `ip_not_allowed`). A rotation copies the list to the new credential.",
  request: {
    params: credentialParams,
    body: jsonBody(credentialUpdateSchema, 'Fields to change (at least one)'),
  },
  responses: { 200: jsonResponse(Credential, 'The updated credential'), ...errorResponses(400, 404, 413) },
})
const usage = operation('get', '/{client_id}/usage', {
  summary: "A client's decision counts: allowed, refused (by reason), rate limited",
  description:
    '`window=24h` (default): 24 hourly buckets, the current hour last; `30d`: 30 daily buckets (UTC days), today ' +
    'last. Every bucket is present (zeros where nothing was counted), oldest first. Counted by authz in memory and ' +
    'flushed every AUTHZ_USAGE_FLUSH_INTERVAL_MS (60 s by default), summed over every replica. Refusals that ' +
    'identify no client (an unknown key) are not counted here.',
  request: { params, query: usageQuerySchema },
  responses: { 200: jsonResponse(ClientUsage, 'Buckets and totals'), ...errorResponses(400, 404) },
})
const update = operation('put', '/{client_id}', {
  summary: 'Rename a client, change its status, set/clear its expiries or its IP allowlist',
  description:
    'A suspended or revoked client is denied by authz. `expires_at` (the client), `api_key_expires_at` and ' +
    '`shared_secret_expires_at` (its current credentials) take epoch seconds, or null to clear; authz refuses ' +
    'from that second on (401 `client_expired` / `credential_expired`). `ip_allowlist` (IPv4/IPv6 addresses and ' +
    "CIDRs, or null for any IP) limits where the client's credentials are accepted from (403 `ip_not_allowed`). `If-Match` (or `version`) guards against stale writes.",
  request: { params, headers: ifMatchHeader, body: jsonBody(clientUpdateSchema, 'Fields to change') },
  responses: { 200: jsonResponse(Client, 'The updated client'), ...errorResponses(400, 404, 409, 412, 413) },
})
const remove = operation('delete', '/{client_id}', {
  summary: 'Delete a client',
  description: 'Its credentials, permissions and rate limit go with it; `Gatekeeper-Cascaded` says how many.',
  request: { params, headers: ifMatchHeader },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(404, 412) },
})
const rotate = operation('post', '/{client_id}/rotate', {
  summary: 'Rotate the API key or the shared secret',
  description: `${RAW_CREDENTIALS} With \`grace_seconds\`, the previous credential keeps working until \`previous_expires_at\`; \`expires_at\` (epoch seconds) gives the new credential an expiry.`,
  request: { params, body: jsonBody(rotateCredentialSchema, 'Which credential, and the grace period') },
  responses: {
    200: jsonResponse(ClientRotated, 'The client with the new raw credential'),
    ...errorResponses(400, 404, 409, 413),
  },
})

export function clientsRoutes(deps: { adminOps: AdminOps; metrics: Metrics }) {
  const ops = deps.adminOps.clients
  const writes = versionedWrites(ops, deps.metrics, { update: 'client.update', remove: 'client.delete' })
  const app = adminRouter()
  app.openapi(list, async (c) => c.json(await ops.list(c.req.query()), 200))

  app.openapi(create, async (c) => {
    const client = await ops.create(actorOf(c), await rawJson(c))
    deps.metrics.adminActions.inc({ action: 'client.create' })
    c.header('Cache-Control', 'no-store')
    return withEtag(c, client, 201)
  })

  app.openapi(get, async (c) => withEtag(c, await ops.get(c.req.param('client_id')), 200))

  app.openapi(updateCredential, async (c) => {
    const credential = await ops.updateCredential(
      actorOf(c),
      c.req.param('client_id'),
      c.req.param('credential_id'),
      await rawJson(c),
    )
    deps.metrics.adminActions.inc({ action: 'client.update_credential' })
    return c.json(credential, 200)
  })

  app.openapi(usage, async (c) => c.json(await ops.usage(c.req.param('client_id'), c.req.query()), 200))

  app.openapi(update, (c) => writes.update(c, c.req.param('client_id')))
  app.openapi(remove, (c) => writes.remove(c, c.req.param('client_id')))

  app.openapi(rotate, async (c) => {
    const rotated = await ops.rotate(actorOf(c), c.req.param('client_id'), await rawJson(c))
    const { client, previous_expires_at, ...raw } = rotated
    // The documented keys, the raw value, then the additive ones (the same order as a create's answer).
    const { client_id, client_name, status, api_key_masked, created_at, updated_at, ...additive } = client
    const documented = { client_id, client_name, status, api_key_masked, created_at, updated_at }
    deps.metrics.adminActions.inc({
      action: raw.api_key !== undefined ? 'client.rotate_api_key' : 'client.rotate_shared_secret',
    })
    c.header('Cache-Control', 'no-store')
    setEtag(c, client.version)
    return c.json({ ...documented, ...raw, ...additive, previous_expires_at }, 200)
  })
  return app
}
