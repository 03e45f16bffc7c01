import { createHash, randomUUID } from 'node:crypto'
import { generateApiKey, generateSharedSecret, type Sealer } from '@gatekeeper/crypto'
import { ApiError, type ConfigDocument, type ConsoleAdminSource } from '@gatekeeper/models'
import { and, eq, sql } from 'drizzle-orm'
import { type AuditInput, writeAuditMany } from '../admin/audit'
import { insertCredentialRows } from '../admin/credentials'
import { inTransaction, lockConfigWriters } from '../admin/tx'
import type { Actor, AdminDatabase, AdminTx } from '../admin/types'
import { clientPermissions, clients, configState, consoleAdmins, rateLimits, routes } from '../schema'
import { canonicalDocument, permissionKey, routeKey } from './canonical'
import { readLiveConfigIn } from './live'
import { type ConfigPlan, type PlanChange, planConfig } from './plan'

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
}

/** A new client's generated credentials: in this answer only, never stored in the clear or logged. */
export type CreatedCredentials = { client_name: string; client_id: string; api_key?: string; shared_secret?: string }

export type ApplyResult = {
  plan: ConfigPlan
  /** Shared by every audit entry of this apply (admin_audit_log.request_id). */
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
      return { plan, changeSetId, applied: true, versionBefore, versionAfter: counted, credentials }
    })
  } catch (err) {
    if (err instanceof Rollback && dryRunResult !== undefined) return dryRunResult
    throw err
  }
}

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
  const permissionIds = async (key: string) => {
    // A domain never holds the arrow; a client name might, so split at the last one.
    const at = key.lastIndexOf(' → ')
    const clientName = key.slice(0, at)
    const routePart = key.slice(at + ' → '.length)
    return {
      clientId: need(clientIds.get(clientName), `client ${clientName}`),
      routeId: need(routeIds.get(routePart), `route ${routePart}`),
    }
  }

  for (const change of plan.changes) {
    const entry = (action: string, entityId: string, before: unknown, after: unknown): void => {
      audit.push({ action: `${change.kind}.${action}`, entityType: change.kind, entityId, before, after } as AuditInput)
    }
    const fileBefore =
      change.action === 'create' ? null : Object.fromEntries(change.fields.map((f) => [f.field, f.from]))
    switch (change.kind) {
      case 'route': {
        if (change.action === 'delete') {
          const id = need(routeIds.get(change.key), change.key)
          await tx.delete(routes).where(eq(routes.id, id))
          entry('delete', id, { key: change.key, ...fileBefore }, null)
          break
        }
        const r = need(desiredRoutes.get(change.key), change.key)
        if (change.action === 'create') {
          const [row] = await tx
            .insert(routes)
            .values({
              domain: r.domain,
              routePattern: r.route_pattern,
              serviceName: r.service_name,
              methods: r.methods,
            })
            .returning({ id: routes.id })
          const id = need(row, 'inserted route').id
          routeIds.set(change.key, id)
          entry('create', id, null, r)
        } else {
          const id = need(routeIds.get(change.key), change.key)
          await tx
            .update(routes)
            .set({ serviceName: r.service_name, methods: r.methods, version: sql`${routes.version} + 1` })
            .where(eq(routes.id, id))
          entry('update', id, changeSide(change, 'from'), changeSide(change, 'to'))
        }
        break
      }
      case 'client': {
        if (change.action === 'delete') {
          const id = need(clientIds.get(change.key), change.key)
          await tx.delete(clients).where(eq(clients.id, id))
          entry('delete', id, { client_name: change.key, ...fileBefore }, null)
          break
        }
        const c = need(desiredClients.get(change.key), change.key)
        if (change.action === 'create') {
          const id = randomUUID()
          const kinds = new Set(c.credentials.map((cred) => cred.kind))
          const apiKey = kinds.has('api_key') ? generateApiKey() : undefined
          const sharedSecret = kinds.has('shared_secret') ? generateSharedSecret() : undefined
          await tx.insert(clients).values({ id, clientName: c.client_name, status: c.status })
          await insertCredentialRows(tx, options.sealer, id, { apiKey, sharedSecret, legacy: false })
          clientIds.set(change.key, id)
          created.push({
            client_name: c.client_name,
            client_id: id,
            ...(apiKey !== undefined ? { api_key: apiKey } : {}),
            ...(sharedSecret !== undefined ? { shared_secret: sharedSecret } : {}),
          })
          entry('create', id, null, { client_name: c.client_name, status: c.status, credentials: [...kinds].sort() })
        } else {
          const id = need(clientIds.get(change.key), change.key)
          await tx
            .update(clients)
            .set({ status: c.status, version: sql`${clients.version} + 1` })
            .where(eq(clients.id, id))
          entry('update', id, changeSide(change, 'from'), changeSide(change, 'to'))
        }
        break
      }
      case 'permission': {
        const { clientId, routeId } = await permissionIds(change.key)
        const where = and(eq(clientPermissions.clientId, clientId), eq(clientPermissions.routeId, routeId))
        if (change.action === 'delete') {
          const [row] = await tx.delete(clientPermissions).where(where).returning({ id: clientPermissions.id })
          entry('revoke', need(row, change.key).id, { key: change.key, ...fileBefore }, null)
          break
        }
        const p = need(desiredPermissions.get(change.key), change.key)
        if (change.action === 'create') {
          const [row] = await tx
            .insert(clientPermissions)
            .values({ clientId, routeId, allowedMethods: p.allowed_methods })
            .returning({ id: clientPermissions.id })
          entry('grant', need(row, change.key).id, null, p)
        } else {
          const [row] = await tx
            .update(clientPermissions)
            .set({ allowedMethods: p.allowed_methods, version: sql`${clientPermissions.version} + 1` })
            .where(where)
            .returning({ id: clientPermissions.id })
          entry('update', need(row, change.key).id, changeSide(change, 'from'), changeSide(change, 'to'))
        }
        break
      }
      case 'rate_limit': {
        const clientId = need(clientIds.get(change.key), change.key)
        if (change.action === 'delete') {
          await tx.delete(rateLimits).where(eq(rateLimits.clientId, clientId))
          entry('clear', clientId, { client_name: change.key, ...fileBefore }, null)
          break
        }
        const l = need(desiredLimits.get(change.key), change.key)
        const values = { requestsPerDay: l.requests_per_day ?? null, requestsPerMinute: l.requests_per_minute ?? null }
        await tx
          .insert(rateLimits)
          .values({ clientId, ...values })
          .onConflictDoUpdate({ target: rateLimits.clientId, set: values })
        entry('set', clientId, change.action === 'create' ? null : changeSide(change, 'from'), l)
        break
      }
      case 'console_admin': {
        if (change.action === 'delete') {
          const [row] = await tx
            .delete(consoleAdmins)
            .where(eq(consoleAdmins.email, change.key))
            .returning({ id: consoleAdmins.id })
          entry('remove', need(row, change.key).id, { email: change.key }, null)
        } else {
          const [row] = await tx
            .insert(consoleAdmins)
            .values({ email: change.key, source: options.adminSource ?? 'cli' })
            .returning({ id: consoleAdmins.id })
          entry('add', need(row, change.key).id, null, { email: change.key })
        }
        break
      }
    }
  }
  await writeAuditMany(tx, actor, audit)
  return created
}

/** An update's changed fields, old or new side, as `{field: value}` (what the audit entry shows). */
function changeSide(change: PlanChange, side: 'from' | 'to'): Record<string, unknown> {
  return { key: change.key, ...Object.fromEntries(change.fields.map((f) => [f.field, f[side]])) }
}
