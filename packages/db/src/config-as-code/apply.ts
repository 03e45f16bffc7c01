import { createHash, randomUUID } from 'node:crypto'
import { generateApiKey, generateSharedSecret, type Sealer } from '@gatekeeper/crypto'
import { ApiError, type ConfigDocument, type ConsoleAdminSource } from '@gatekeeper/models'
import { eq, inArray, type SQL, sql } from 'drizzle-orm'
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import { revokeTokensCreatedBy } from '../admin/admin-tokens'
import { keepOneAdmin } from '../admin/admins'
import { type AuditInput, writeAuditMany } from '../admin/audit'
import { bulkColumns, chunked, insertRecords } from '../admin/bulk'
import { credentialRows } from '../admin/credentials'
import { inTransaction, lockConfigWriters } from '../admin/tx'
import type { Actor, AdminDatabase, AdminTx } from '../admin/types'
import {
  clientCredentials,
  clientPermissions,
  clients,
  configChangeSets,
  configState,
  consoleAdmins,
  rateLimits,
  routes,
} from '../schema'
import { canonicalDocument, permissionKey, routeKey } from './canonical'
import { readLiveConfigIn } from './live'
import { type ConfigPlan, type PlanChange, planConfig, planCounts } from './plan'

export type ApplyOptions = {
  actor: Actor
  sealer: Sealer
  prune: boolean
  /** Plan inside the transaction and roll back: nothing is written, nothing is audited. */
  dryRun?: boolean
  /**
   * Refuse (412) unless the live state is still the one the caller planned against: the config
   * version (bumped by every route/client/credential/grant/limit change) and the fingerprint of the
   * live document (which also covers console admins, which no version counts).
   */
  expectedVersion?: number
  expectedFingerprint?: string
  /** How new console admins are recorded (console_admins.source). */
  adminSource?: ConsoleAdminSource
  /** Refuse (409) a plan that removes this console admin (the one applying, who would lock themselves out). */
  keepAdminEmail?: string
}

/** A new client's generated credentials: in this answer only, never stored in the clear or logged. */
export type CreatedCredentials = { client_name: string; client_id: string; api_key?: string; shared_secret?: string }

export type ApplyResult = {
  plan: ConfigPlan
  /** Shared by every audit entry of this apply (admin_audit_log.request_id) and its config_change_sets row. */
  changeSetId: string
  /** False for a dry run or a plan without changes. */
  applied: boolean
  versionBefore: number
  /** config_state.version after the commit (equal to versionBefore when nothing was written). */
  versionAfter: number
  credentials: CreatedCredentials[]
}

/** Identifies a live document: equal documents (same canonical form) give the same fingerprint. */
export function configFingerprint(doc: ConfigDocument): string {
  return createHash('sha256')
    .update(JSON.stringify(canonicalDocument(doc)))
    .digest('hex')
}

/** The live state with the version and fingerprint an apply can be made conditional on. */
export type PlannedState = {
  document: ConfigDocument
  version: number
  fingerprint: string
  duplicateClientNames: string[]
}

async function currentVersion(tx: AdminTx): Promise<number> {
  const [row] = await tx.select({ version: configState.version }).from(configState).where(eq(configState.id, 1))
  if (row === undefined) throw new Error('config_state row 1 is missing')
  return row.version
}

/** The live document, its config version and fingerprint, from one snapshot. */
export async function readPlannedState(db: AdminDatabase): Promise<PlannedState> {
  return inTransaction(
    db,
    async (tx) => {
      const version = await currentVersion(tx)
      const live = await readLiveConfigIn(tx)
      return { ...live, version, fingerprint: configFingerprint(live.document) }
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  )
}

class Rollback extends Error {}

function duplicateNamesError(names: string[]): ApiError {
  return ApiError.conflict(
    `several live clients share the name ${names.map((n) => JSON.stringify(n)).join(', ')}; rename them before applying a file`,
  )
}

/**
 * Applies `desired` in one transaction: takes the config writers' lock first (so no admin write can
 * slip in between), reads the live state under it, checks the caller's expectations, plans, and
 * writes every change with one audit entry each, all under one change-set id. Any failure rolls the
 * whole apply back. The whole apply commits as ONE config version with one (batch) notification, so a
 * listener goes from the version before to the version after in one step and never sees part of it.
 */
export async function applyConfig(
  db: AdminDatabase,
  desired: ConfigDocument,
  options: ApplyOptions,
): Promise<ApplyResult> {
  const changeSetId = randomUUID()
  const actor: Actor = { ...options.actor, requestId: changeSetId }
  let dryRunResult: ApplyResult | undefined
  try {
    return await inTransaction(db, async (tx) => {
      await lockConfigWriters(tx)
      const versionBefore = await currentVersion(tx)
      if (options.expectedVersion !== undefined && options.expectedVersion !== versionBefore) {
        throw ApiError.preconditionFailed(
          `the live configuration changed since the plan was made (config version ${options.expectedVersion}, now ${versionBefore}); run diff again`,
        )
      }
      const live = await readLiveConfigIn(tx)
      if (live.duplicateClientNames.length > 0) throw duplicateNamesError(live.duplicateClientNames)
      if (
        options.expectedFingerprint !== undefined &&
        options.expectedFingerprint !== configFingerprint(live.document)
      ) {
        throw ApiError.preconditionFailed('the live configuration changed since the plan was made; run diff again')
      }
      const plan = planConfig(live.document, desired, { prune: options.prune })
      const unchanged = {
        plan,
        changeSetId,
        applied: false,
        versionBefore,
        versionAfter: versionBefore,
        credentials: [],
      }
      const keep = options.keepAdminEmail?.toLowerCase()
      if (
        keep !== undefined &&
        plan.changes.some((c) => c.kind === 'console_admin' && c.action === 'delete' && c.key.toLowerCase() === keep)
      ) {
        throw ApiError.conflict(
          `the file removes you (${options.keepAdminEmail}) as a console admin; ask another admin`,
        )
      }
      if (plan.changes.length === 0) return unchanged
      if (options.dryRun === true) {
        dryRunResult = unchanged
        throw new Rollback()
      }
      // One config version and one notification for the whole apply (the change-feed trigger's batch mode),
      // so a listener goes from versionBefore to versionAfter in one step.
      await tx.execute(sql`SELECT set_config('gatekeeper.config_batch', ${changeSetId}, true)`)
      const credentials = await writeChanges(tx, canonicalDocument(desired), plan, actor, options)
      // The deferred trigger writes config_state at commit; the transaction-local counter already holds it.
      const [row] = await tx
        .select({ v: sql<string | null>`current_setting('gatekeeper.config_version', true)` })
        .from(configState)
        .where(eq(configState.id, 1))
      const counted = row?.v === undefined || row.v === null || row.v === '' ? versionBefore : Number(row.v)
      const counts = planCounts(plan)
      await tx.insert(configChangeSets).values({
        id: changeSetId,
        actor: actor.actor,
        actorType: actor.actorType,
        creates: counts.create,
        updates: counts.update,
        deletes: counts.delete,
        configVersion: counted === versionBefore ? null : counted,
      })
      return { plan, changeSetId, applied: true, versionBefore, versionAfter: counted, credentials }
    })
  } catch (err) {
    if (err instanceof Rollback && dryRunResult !== undefined) return dryRunResult
    throw err
  }
}

const ROUTE_COLUMNS = bulkColumns(routes, ['domain', 'routePattern', 'serviceName', 'methods', 'metadataHeader'])
const CLIENT_COLUMNS = bulkColumns(clients, ['id', 'clientName', 'status', 'expiresAt', 'ipAllowlist', 'metadata'])
const CREDENTIAL_COLUMNS = bulkColumns(clientCredentials, [
  'clientId',
  'kind',
  'apiKeyDigest',
  'apiKeyPrefix',
  'apiKeyLast4',
  'secretSealed',
  'secretKeyId',
  'legacy',
  'validUntil',
  'ipAllowlist',
])
const PERMISSION_COLUMNS = bulkColumns(clientPermissions, ['clientId', 'routeId', 'allowedMethods'])

function isoOrNull(epochSeconds: number | null | undefined): string | null {
  return epochSeconds == null ? null : new Date(epochSeconds * 1000).toISOString()
}

/** `UPDATE table SET ... FROM jsonb_to_recordset(rows)`: one statement per chunk instead of one per row. */
async function updateFromRecords(tx: AdminTx, rows: Record<string, unknown>[], statement: (records: SQL) => SQL) {
  for (const chunk of chunked(rows))
    await tx.execute(statement(sql`jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb)`))
}

/** `DELETE FROM table WHERE column IN (...)`, a chunk of values per statement. */
async function deleteWhereIn(tx: AdminTx, table: PgTable, column: PgColumn, values: readonly string[]) {
  for (const chunk of chunked(values)) await tx.delete(table).where(inArray(column, chunk))
}

/**
 * Writes the plan in bulk: for each kind (in the plan's order: creates and updates parents first,
 * deletes children first) its creates, updates and deletes are each a few multi-row statements, so
 * thousands of entities cost a handful of round trips. Audit entries follow the plan's order.
 */
async function writeChanges(
  tx: AdminTx,
  desired: ConfigDocument,
  plan: ConfigPlan,
  actor: Actor,
  options: ApplyOptions,
): Promise<CreatedCredentials[]> {
  const routeIds = new Map<string, string>()
  for (const r of await tx
    .select({ id: routes.id, domain: routes.domain, route_pattern: routes.routePattern })
    .from(routes)) {
    routeIds.set(routeKey(r), r.id)
  }
  const clientIds = new Map<string, string>()
  for (const c of await tx.select({ id: clients.id, name: clients.clientName }).from(clients))
    clientIds.set(c.name, c.id)
  const permissionRowIds = new Map<string, string>()
  for (const p of await tx
    .select({ id: clientPermissions.id, clientId: clientPermissions.clientId, routeId: clientPermissions.routeId })
    .from(clientPermissions)) {
    permissionRowIds.set(`${p.clientId} ${p.routeId}`, p.id)
  }
  const desiredRoutes = new Map(desired.routes.map((r) => [routeKey(r), r]))
  const desiredClients = new Map(desired.clients.map((c) => [c.client_name, c]))
  const desiredPermissions = new Map(desired.permissions.map((p) => [permissionKey(p), p]))
  const desiredLimits = new Map(desired.rate_limits.map((l) => [l.client_name, l]))

  const audit: AuditInput[] = []
  const created: CreatedCredentials[] = []
  const need = <T>(value: T | undefined, what: string): T => {
    // The plan comes from these same maps; a miss is a bug, and it rolls everything back.
    if (value === undefined) throw new Error(`config apply: ${what} missing from the plan's inputs`)
    return value
  }
  const permissionEnds = (key: string) => {
    // A domain never holds the arrow; a client name might, so split at the last one.
    const at = key.lastIndexOf(' → ')
    const clientName = key.slice(0, at)
    const routePart = key.slice(at + ' → '.length)
    const clientId = need(clientIds.get(clientName), `client ${clientName}`)
    const routeId = need(routeIds.get(routePart), `route ${routePart}`)
    return { clientId, routeId, rowKey: `${clientId} ${routeId}` }
  }
  const entry = (change: PlanChange, action: string, entityId: string, before: unknown, after: unknown) => {
    audit.push({ action: `${change.kind}.${action}`, entityType: change.kind, entityId, before, after } as AuditInput)
  }
  const fileBefore = (change: PlanChange) => Object.fromEntries(change.fields.map((f) => [f.field, f.from]))
  /** The id a change's key maps to: a lookup that must not miss. */
  const idIn = (ids: Map<string, string>) => (change: PlanChange) => need(ids.get(change.key), change.key)
  /**
   * One audit entry per change, in the group's order: a create (under `actions.create`) records what the file
   * made, an update its two sides, a delete (under `actions.delete`) the entity's key (as `actions.keyField`) and the file's last values.
   */
  const auditEach = (
    group: PlanChange[],
    idOf: (change: PlanChange) => string,
    actions: { create: string; delete: string; keyField: 'key' | 'client_name' },
    createdAs: (change: PlanChange) => unknown,
  ) => {
    for (const change of group) {
      const id = idOf(change)
      if (change.action === 'create') entry(change, actions.create, id, null, createdAs(change))
      else if (change.action === 'update')
        entry(change, 'update', id, changeSide(change, 'from'), changeSide(change, 'to'))
      else entry(change, actions.delete, id, { [actions.keyField]: change.key, ...fileBefore(change) }, null)
    }
  }

  for (const group of planGroups(plan)) {
    const creates = group.filter((c) => c.action === 'create')
    const updates = group.filter((c) => c.action === 'update')
    const deletes = group.filter((c) => c.action === 'delete')
    const kind = need(group[0], 'a change').kind
    switch (kind) {
      case 'route': {
        const inserted = await insertRecords<{ id: string; domain: string; route_pattern: string }>(
          tx,
          'routes',
          ROUTE_COLUMNS,
          creates.map((change) => {
            const r = need(desiredRoutes.get(change.key), change.key)
            return {
              domain: r.domain,
              route_pattern: r.route_pattern,
              service_name: r.service_name,
              methods: r.methods,
              metadata_header: r.metadata_header ?? null,
            }
          }),
          'id, domain, route_pattern',
        )
        for (const row of inserted) routeIds.set(routeKey(row), row.id)
        await updateFromRecords(
          tx,
          updates.map((change) => {
            const r = need(desiredRoutes.get(change.key), change.key)
            return {
              id: need(routeIds.get(change.key), change.key),
              service_name: r.service_name,
              methods: r.methods,
              metadata_header: r.metadata_header ?? null,
            }
          }),
          (records) => sql`UPDATE routes AS t
            SET service_name = u.service_name, methods = u.methods, metadata_header = u.metadata_header,
              version = t.version + 1
            FROM ${records} AS u(id uuid, service_name text, methods jsonb, metadata_header text) WHERE t.id = u.id`,
        )
        const routeId = idIn(routeIds)
        await deleteWhereIn(tx, routes, routes.id, deletes.map(routeId))
        auditEach(group, routeId, { create: 'create', delete: 'delete', keyField: 'key' }, (c) =>
          desiredRoutes.get(c.key),
        )
        break
      }
      case 'client': {
        const credentialRowsToInsert: Record<string, unknown>[] = []
        const clientRows: Record<string, unknown>[] = []
        for (const change of creates) {
          const c = need(desiredClients.get(change.key), change.key)
          const id = randomUUID()
          const kinds = new Set(c.credentials.map((cred) => cred.kind))
          const apiKey = kinds.has('api_key') ? generateApiKey() : undefined
          const sharedSecret = kinds.has('shared_secret') ? generateSharedSecret() : undefined
          clientRows.push({
            id,
            client_name: c.client_name,
            status: c.status,
            expires_at: isoOrNull(c.expires_at),
            ip_allowlist: c.ip_allowlist ?? null,
            metadata: c.metadata ?? null,
          })
          for (const row of credentialRows(options.sealer, id, { apiKey, sharedSecret, legacy: false })) {
            const life = c.credentials.find((cred) => cred.kind === row.kind)
            credentialRowsToInsert.push({
              client_id: row.clientId,
              kind: row.kind,
              api_key_digest: row.apiKeyDigest ?? null,
              api_key_prefix: row.apiKeyPrefix ?? null,
              api_key_last4: row.apiKeyLast4 ?? null,
              secret_sealed: row.secretSealed ?? null,
              secret_key_id: row.secretKeyId ?? null,
              legacy: row.legacy ?? false,
              valid_until: isoOrNull(life?.expires_at),
              ip_allowlist: life?.ip_allowlist ?? null,
            })
          }
          clientIds.set(change.key, id)
          created.push({
            client_name: c.client_name,
            client_id: id,
            ...(apiKey !== undefined ? { api_key: apiKey } : {}),
            ...(sharedSecret !== undefined ? { shared_secret: sharedSecret } : {}),
          })
        }
        await insertRecords(tx, 'clients', CLIENT_COLUMNS, clientRows)
        await insertRecords(tx, 'client_credentials', CREDENTIAL_COLUMNS, credentialRowsToInsert)
        await updateFromRecords(
          tx,
          updates.map((change) => {
            const c = need(desiredClients.get(change.key), change.key)
            return {
              id: need(clientIds.get(change.key), change.key),
              status: c.status,
              expires_at: isoOrNull(c.expires_at),
              ip_allowlist: c.ip_allowlist ?? null,
              metadata: c.metadata ?? null,
            }
          }),
          (records) => sql`UPDATE clients AS t
            SET status = u.status, expires_at = u.expires_at, ip_allowlist = u.ip_allowlist, metadata = u.metadata,
              version = t.version + 1
            FROM ${records} AS u(id uuid, status text, expires_at timestamptz, ip_allowlist text[], metadata jsonb)
            WHERE t.id = u.id`,
        )
        // The lifecycle of credentials the file lists by a live id (the plan's `credentials.<kind>.*` fields).
        await updateFromRecords(
          tx,
          updates.flatMap((change) => {
            const c = need(desiredClients.get(change.key), change.key)
            const kinds = new Set(
              change.fields.filter((f) => f.field.startsWith('credentials.')).map((f) => f.field.split('.')[1]),
            )
            return c.credentials
              .filter((cred) => kinds.has(cred.kind))
              .map((cred) => ({
                id: need(cred.id, `the id of ${change.key}'s ${cred.kind}`),
                client_id: need(clientIds.get(change.key), change.key),
                valid_until: isoOrNull(cred.expires_at),
                ip_allowlist: cred.ip_allowlist ?? null,
              }))
          }),
          (records) => sql`UPDATE client_credentials AS t
            SET valid_until = u.valid_until, ip_allowlist = u.ip_allowlist
            FROM ${records} AS u(id uuid, client_id uuid, valid_until timestamptz, ip_allowlist text[])
            WHERE t.id = u.id AND t.client_id = u.client_id AND t.expires_at IS NULL`,
        )
        const clientId = idIn(clientIds)
        await deleteWhereIn(tx, clients, clients.id, deletes.map(clientId))
        auditEach(group, clientId, { create: 'create', delete: 'delete', keyField: 'client_name' }, (change) => {
          const c = need(desiredClients.get(change.key), change.key)
          const kinds = [...new Set(c.credentials.map((cred) => cred.kind))].sort()
          return {
            client_name: c.client_name,
            status: c.status,
            ...(c.expires_at != null ? { expires_at: c.expires_at } : {}),
            ...(c.ip_allowlist != null ? { ip_allowlist: c.ip_allowlist } : {}),
            ...(c.metadata != null ? { metadata: c.metadata } : {}),
            credentials: kinds,
            ...Object.fromEntries(
              change.fields.filter((f) => f.field.startsWith('credentials.')).map((f) => [f.field, f.to]),
            ),
          }
        })
        break
      }
      case 'permission': {
        const granted = await insertRecords<{ id: string; client_id: string; route_id: string }>(
          tx,
          'client_permissions',
          PERMISSION_COLUMNS,
          creates.map((change) => {
            const { clientId, routeId } = permissionEnds(change.key)
            const p = need(desiredPermissions.get(change.key), change.key)
            return { client_id: clientId, route_id: routeId, allowed_methods: p.allowed_methods }
          }),
          'id, client_id, route_id',
        )
        for (const row of granted) permissionRowIds.set(`${row.client_id} ${row.route_id}`, row.id)
        const rowId = (change: PlanChange) => need(permissionRowIds.get(permissionEnds(change.key).rowKey), change.key)
        await updateFromRecords(
          tx,
          updates.map((change) => ({
            id: rowId(change),
            allowed_methods: need(desiredPermissions.get(change.key), change.key).allowed_methods,
          })),
          (
            records,
          ) => sql`UPDATE client_permissions AS t SET allowed_methods = u.allowed_methods, version = t.version + 1
            FROM ${records} AS u(id uuid, allowed_methods text[]) WHERE t.id = u.id`,
        )
        await deleteWhereIn(tx, clientPermissions, clientPermissions.id, deletes.map(rowId))
        auditEach(group, rowId, { create: 'grant', delete: 'revoke', keyField: 'key' }, (c) =>
          desiredPermissions.get(c.key),
        )
        break
      }
      case 'rate_limit': {
        const sets = [...creates, ...updates].map((change) => {
          const l = need(desiredLimits.get(change.key), change.key)
          return {
            clientId: need(clientIds.get(change.key), change.key),
            requestsPerDay: l.requests_per_day ?? null,
            requestsPerMinute: l.requests_per_minute ?? null,
          }
        })
        for (const chunk of chunked(sets)) {
          await tx
            .insert(rateLimits)
            .values(chunk)
            .onConflictDoUpdate({
              target: rateLimits.clientId,
              set: {
                requestsPerDay: sql`excluded.requests_per_day`,
                requestsPerMinute: sql`excluded.requests_per_minute`,
              },
            })
        }
        await deleteWhereIn(tx, rateLimits, rateLimits.clientId, deletes.map(idIn(clientIds)))
        for (const change of group) {
          const id = idIn(clientIds)(change)
          if (change.action === 'delete')
            entry(change, 'clear', id, { client_name: change.key, ...fileBefore(change) }, null)
          else
            entry(
              change,
              'set',
              id,
              change.action === 'create' ? null : changeSide(change, 'from'),
              desiredLimits.get(change.key),
            )
        }
        break
      }
      case 'console_admin': {
        const adminIds = new Map<string, string>()
        for (const chunk of chunked(creates)) {
          const rows = await tx
            .insert(consoleAdmins)
            .values(chunk.map((c) => ({ email: c.key, source: options.adminSource ?? 'cli' })))
            .returning({ id: consoleAdmins.id, email: consoleAdmins.email })
          for (const row of rows) adminIds.set(row.email, row.id)
        }
        for (const chunk of chunked(deletes)) {
          const rows = await tx
            .delete(consoleAdmins)
            .where(
              inArray(
                consoleAdmins.email,
                chunk.map((c) => c.key),
              ),
            )
            .returning({ id: consoleAdmins.id, email: consoleAdmins.email })
          for (const row of rows) adminIds.set(row.email, row.id)
        }
        // A pruning file applied with an admin token must not leave the console without admins (the CLI may).
        if (deletes.length > 0 && actor.actorType !== 'cli') await keepOneAdmin(tx)
        await revokeTokensCreatedBy(
          tx,
          actor,
          deletes.map((c) => c.key),
        )
        for (const change of group) {
          const id = need(adminIds.get(change.key), change.key)
          if (change.action === 'delete') entry(change, 'remove', id, { email: change.key }, null)
          else entry(change, 'add', id, null, { email: change.key })
        }
        break
      }
    }
  }
  await writeAuditMany(tx, actor, audit)
  return created
}

/**
 * The plan cut into runs of one kind, in order (upserts of every kind, parents first, then deletes,
 * children first): within a run the changes are independent of each other, so they can be written
 * together.
 */
function planGroups(plan: ConfigPlan): PlanChange[][] {
  const groups: PlanChange[][] = []
  let current: PlanChange[] = []
  const phase = (c: PlanChange) => (c.action === 'delete' ? 'delete' : 'upsert')
  for (const change of plan.changes) {
    const last = current[0]
    if (last !== undefined && (last.kind !== change.kind || phase(last) !== phase(change))) {
      groups.push(current)
      current = []
    }
    current.push(change)
  }
  if (current.length > 0) groups.push(current)
  return groups
}

/** An update's changed fields, old or new side, as `{field: value}` (what the audit entry shows). */
function changeSide(change: PlanChange, side: 'from' | 'to'): Record<string, unknown> {
  // A field absent on that side (a method or an optional field not set) is recorded as null.
  return { key: change.key, ...Object.fromEntries(change.fields.map((f) => [f.field, f[side] ?? null])) }
}
