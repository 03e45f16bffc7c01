import { CONFIG_DOCUMENT_VERSION, type ConfigClient, type ConfigDocument } from '@gatekeeper/models'
import { isNull } from 'drizzle-orm'
import { reading } from '../admin/tx'
import type { AdminDatabase, AdminTx } from '../admin/types'
import { selectPermissionViews, selectRateLimitViews } from '../admin/views'
import { epochSecondsOrNull } from '../admin/wire'
import { clientCredentials, clients, consoleAdmins, routes } from '../schema'
import { canonicalDocument } from './canonical'

export type LiveConfig = {
  document: ConfigDocument
  /**
   * Client names held by more than one live client. The database allows it, the file keys clients by
   * name, so such a state cannot be planned against until the clients are renamed.
   */
  duplicateClientNames: string[]
}

/**
 * The live configuration as a document, read in one repeatable-read snapshot so routes, clients and
 * the grants between them are from the same moment. Only current credentials (not those rotated out
 * and in their grace period), and never their secret material: kind, id and the API key's prefix.
 */
export async function readLiveConfig(db: AdminDatabase): Promise<LiveConfig> {
  return reading(() =>
    db.transaction((tx) => readLiveConfigIn(tx), { isolationLevel: 'repeatable read', accessMode: 'read only' }),
  )
}

/** The same read inside a caller's transaction (apply plans from what it is about to change). */
export async function readLiveConfigIn(tx: AdminTx): Promise<LiveConfig> {
  const routeRows = await tx.select().from(routes)
  const clientRows = await tx.select().from(clients)
  const credentialRows = await tx
    .select({
      id: clientCredentials.id,
      clientId: clientCredentials.clientId,
      kind: clientCredentials.kind,
      prefix: clientCredentials.apiKeyPrefix,
      validUntil: clientCredentials.validUntil,
      ipAllowlist: clientCredentials.ipAllowlist,
    })
    .from(clientCredentials)
    .where(isNull(clientCredentials.expiresAt))
  // The admin API's views of grants and limits: the same joins to client names and routes.
  const permissionRows = await selectPermissionViews(tx, undefined)
  const limitRows = await selectRateLimitViews(tx, undefined)
  const adminRows = await tx.select({ email: consoleAdmins.email }).from(consoleAdmins)

  const credentialsByClient = new Map<string, ConfigClient['credentials']>()
  for (const row of credentialRows) {
    const list = credentialsByClient.get(row.clientId) ?? []
    list.push({
      kind: row.kind,
      id: row.id,
      ...(row.kind === 'api_key' && row.prefix !== null && row.prefix !== '' ? { prefix: row.prefix } : {}),
      expires_at: epochSecondsOrNull(row.validUntil),
      ip_allowlist: row.ipAllowlist,
    })
    credentialsByClient.set(row.clientId, list)
  }
  const names = new Map<string, number>()
  for (const row of clientRows) names.set(row.clientName, (names.get(row.clientName) ?? 0) + 1)

  const document = canonicalDocument({
    version: CONFIG_DOCUMENT_VERSION,
    routes: routeRows.map((r) => ({
      domain: r.domain,
      route_pattern: r.routePattern,
      service_name: r.serviceName,
      methods: r.methods,
      metadata_header: r.metadataHeader,
    })),
    clients: clientRows.map((c) => ({
      client_name: c.clientName,
      status: c.status,
      expires_at: epochSecondsOrNull(c.expiresAt),
      ip_allowlist: c.ipAllowlist,
      credentials: credentialsByClient.get(c.id) ?? [],
      metadata: c.metadata as ConfigClient['metadata'], // jsonb CHECKed to be an object, validated on write
    })),
    permissions: permissionRows.map((p) => ({
      client_name: p.clientName,
      domain: p.routeDomain,
      route_pattern: p.routePattern,
      allowed_methods: p.allowedMethods,
    })),
    rate_limits: limitRows.map((l) => ({
      client_name: l.clientName,
      requests_per_day: l.requestsPerDay,
      requests_per_minute: l.requestsPerMinute,
    })),
    console_admins: adminRows.map((a) => ({ email: a.email })),
  })
  const duplicateClientNames = [...names].filter(([, n]) => n > 1).map(([name]) => name)
  return { document, duplicateClientNames: duplicateClientNames.sort() }
}
