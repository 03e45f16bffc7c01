import { paginationQuerySchema } from '@gatekeeper/models'
import { and, asc, eq, getTableColumns, isNull, type SQL, sql } from 'drizzle-orm'
import { alias, type PgSelect } from 'drizzle-orm/pg-core'
import { clientCredentials, clientPermissions, clients, rateLimits, routes } from '../schema'
import { parseInput } from './errors'
import type { Queryable } from './types'
import type { ClientView, PermissionView } from './wire'

// The joined reads the wire shapes need, shared by list/get and by the writes that audit them.

export type Page = { limit?: number | undefined; offset?: number | undefined }

/** Opt-in pagination (`?limit=&offset=`); without it a list returns everything, as the original did. */
export function parsePage(page: unknown): Page {
  return parseInput(paginationQuerySchema, page ?? {})
}

export function applyPage<T extends PgSelect>(query: T, page: Page): T {
  let q = query
  if (page.limit !== undefined) q = q.limit(page.limit)
  if (page.offset !== undefined) q = q.offset(page.offset)
  return q
}

const currentKey = alias(clientCredentials, 'current_api_key')

/** The current API key (at most one: client_credentials_current_key) and whether a current secret exists. */
export function selectClientViews(db: Queryable, where: SQL | undefined) {
  return db
    .select({
      ...getTableColumns(clients),
      apiKeyPrefix: currentKey.apiKeyPrefix,
      apiKeyLast4: currentKey.apiKeyLast4,
      apiKeyValidUntil: currentKey.validUntil,
      hasSharedSecret: sql<boolean>`exists (
        select 1 from ${clientCredentials}
        where ${clientCredentials.clientId} = ${clients.id}
          and ${clientCredentials.kind} = 'shared_secret'
          and ${clientCredentials.expiresAt} is null)`.mapWith(Boolean),
      // Epoch seconds straight from SQL: a raw subquery's timestamp would come back as a string.
      sharedSecretValidUntil: sql<number | null>`(
        select floor(extract(epoch from ${clientCredentials.validUntil}))::bigint from ${clientCredentials}
        where ${clientCredentials.clientId} = ${clients.id}
          and ${clientCredentials.kind} = 'shared_secret'
          and ${clientCredentials.expiresAt} is null)`.mapWith((v) => (v === null ? null : Number(v))),
      // Credentials a rotation deleted leave their latest use on the client row (greatest() skips nulls).
      lastUsedAt: sql<number | null>`floor(extract(epoch from greatest(${clients.retiredLastUsedAt}, (
        select max(${clientCredentials.lastUsedAt}) from ${clientCredentials}
        where ${clientCredentials.clientId} = ${clients.id}))))::bigint`.mapWith((v) =>
        v === null ? null : Number(v),
      ),
    })
    .from(clients)
    .leftJoin(
      currentKey,
      and(eq(currentKey.clientId, clients.id), eq(currentKey.kind, 'api_key'), isNull(currentKey.expiresAt)),
    )
    .where(where)
    .orderBy(asc(clients.createdAt), asc(clients.id))
    .$dynamic()
}

export async function findClientView(db: Queryable, id: string): Promise<ClientView | undefined> {
  const [row] = await selectClientViews(db, eq(clients.id, id))
  return row
}

export function selectPermissionViews(db: Queryable, where: SQL | undefined) {
  return db
    .select({
      ...getTableColumns(clientPermissions),
      clientName: clients.clientName,
      routeDomain: routes.domain,
      routePattern: routes.routePattern,
      routeServiceName: routes.serviceName,
    })
    .from(clientPermissions)
    .innerJoin(clients, eq(clients.id, clientPermissions.clientId))
    .innerJoin(routes, eq(routes.id, clientPermissions.routeId))
    .where(where)
    .orderBy(asc(clientPermissions.createdAt), asc(clientPermissions.id))
    .$dynamic()
}

export async function findPermissionView(db: Queryable, id: string): Promise<PermissionView | undefined> {
  const [row] = await selectPermissionViews(db, eq(clientPermissions.id, id))
  return row
}

export function selectRateLimitViews(db: Queryable, where: SQL | undefined) {
  return db
    .select({ ...getTableColumns(rateLimits), clientName: clients.clientName })
    .from(rateLimits)
    .innerJoin(clients, eq(clients.id, rateLimits.clientId))
    .where(where)
    .orderBy(asc(rateLimits.createdAt), asc(rateLimits.clientId))
    .$dynamic()
}

/** Optimistic concurrency: a given version must match the stored one. */
export function versionMatches(stored: number, expected: number | undefined): boolean {
  return expected === undefined || expected === stored
}
