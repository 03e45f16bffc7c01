import { type ApiError, type AuditEntityType, type AuditEntryWire, auditQuerySchema } from '@gatekeeper/models'
import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm'
import { adminAuditLog } from '../schema'
import { bulkColumns, insertRecords } from './bulk'
import { parseInput } from './errors'
import type { Actor, AdminTx, Queryable } from './types'
import { auditEntryWire } from './wire'

export type AuditAction =
  | 'route.create'
  | 'route.update'
  | 'route.delete'
  | 'client.create'
  | 'client.update'
  | 'client.rotate_api_key'
  | 'client.rotate_shared_secret'
  | 'client.delete'
  | 'permission.grant'
  | 'permission.update'
  | 'permission.revoke'
  | 'rate_limit.set'
  | 'rate_limit.clear'
  | 'console_admin.add'
  | 'console_admin.remove'
  | 'console_admin.provision'
  | 'console_admin.deprovision'
  | 'console_admin.link'
  // Room for callers such as import-original ('client.import'), always named after the entity.
  | `${AuditEntityType}.${string}`

export type AuditInput = {
  action: AuditAction
  entityType: AuditEntityType
  entityId: string
  /** The entity's wire shape before / after the change; null (or omitted) when it did not / no longer exists. */
  before?: unknown
  after?: unknown
}

/** Keys that only ever hold a credential; an audit entry carrying one is a bug, refused loudly. */
const CREDENTIAL_KEYS = new Set(['api_key', 'shared_secret', 'secret_sealed', 'secretSealed', 'apiKey', 'sharedSecret'])

function assertNoCredentials(value: unknown, depth = 0): void {
  if (depth > 8 || typeof value !== 'object' || value === null) return
  for (const [key, inner] of Object.entries(value)) {
    if (CREDENTIAL_KEYS.has(key)) throw new TypeError(`writeAudit: refusing to log a credential field (${key})`)
    assertNoCredentials(inner, depth + 1)
  }
}

function auditRow(actor: Actor, entry: AuditInput) {
  if (actor.actor.trim() === '') throw new TypeError('writeAudit: actor must not be empty')
  assertNoCredentials(entry.before)
  assertNoCredentials(entry.after)
  return {
    actor: actor.actor,
    actorType: actor.actorType,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before ?? null,
    after: entry.after ?? null,
    requestId: actor.requestId ?? null,
  }
}

/**
 * Appends one audit entry. Call it inside the transaction that makes the change, so the change and
 * its record commit (or roll back) together. `before`/`after` must be wire shapes with masked keys only.
 */
export async function writeAudit(tx: AdminTx, actor: Actor, entry: AuditInput): Promise<void> {
  await tx.insert(adminAuditLog).values(auditRow(actor, entry))
}

/**
 * How a write to one entity ends: the row its statement returned (none means the write did not happen: `missing`
 * is thrown and the transaction rolls back) becomes its wire shape, audited in the same transaction as the state
 * after the change (next to `before`, for an update) or, for a removal, as the state before it.
 */
export async function auditReturnedRow<R extends { id: string }, W>(
  tx: AdminTx,
  actor: Actor,
  row: R | undefined,
  change: {
    action: AuditAction
    toWire: (row: R) => W
    missing: () => ApiError
    /** The entity's wire shape before an update. */
    before?: W
    /** The write removed the entity: its wire shape is what it was. */
    removed?: true
  },
): Promise<W> {
  if (row === undefined) throw change.missing()
  const wire = change.toWire(row)
  const sides = change.removed ? { before: wire } : { before: change.before, after: wire }
  // Actions are named after their entity (`route.create`): the entity type is the part before the dot.
  const entityType = change.action.slice(0, change.action.indexOf('.')) as AuditEntityType
  await writeAudit(tx, actor, { action: change.action, entityType, entityId: row.id, ...sides })
  return wire
}

const AUDIT_COLUMNS = bulkColumns(adminAuditLog, [
  'actor',
  'actorType',
  'action',
  'entityType',
  'entityId',
  'before',
  'after',
  'requestId',
])

/** Several entries at once (a delete's cascaded rows, a configuration file's changes), in bulk statements. */
export async function writeAuditMany(tx: AdminTx, actor: Actor, entries: ReadonlyArray<AuditInput>): Promise<void> {
  const rows = entries.map((entry) => {
    const row = auditRow(actor, entry)
    return {
      actor: row.actor,
      actor_type: row.actorType,
      action: row.action,
      entity_type: row.entityType,
      entity_id: row.entityId,
      before: row.before,
      after: row.after,
      request_id: row.requestId,
    }
  })
  await insertRecords(tx, 'admin_audit_log', AUDIT_COLUMNS, rows)
}

/** `audit.list(query)`: newest first; `since`/`until` are inclusive epoch seconds. */
export async function listAudit(db: Queryable, query: unknown): Promise<AuditEntryWire[]> {
  const q = parseInput(auditQuerySchema, query ?? {})
  const where: SQL[] = []
  if (q.actor !== undefined) where.push(eq(adminAuditLog.actor, q.actor))
  if (q.entity_type !== undefined) where.push(eq(adminAuditLog.entityType, q.entity_type))
  if (q.entity_id !== undefined) where.push(eq(adminAuditLog.entityId, q.entity_id.toLowerCase()))
  if (q.action !== undefined) where.push(eq(adminAuditLog.action, q.action))
  if (q.since !== undefined) where.push(gte(adminAuditLog.at, new Date(q.since * 1000)))
  // `at` has microseconds; an entry shown as second N is inside `until = N`.
  if (q.until !== undefined) where.push(lt(adminAuditLog.at, new Date((q.until + 1) * 1000)))
  const rows = await db
    .select()
    .from(adminAuditLog)
    .where(and(...where))
    .orderBy(desc(adminAuditLog.at), desc(adminAuditLog.id))
    .limit(q.limit)
    .offset(q.offset)
  return rows.map(auditEntryWire)
}
