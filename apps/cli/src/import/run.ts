import type { Sealer } from '@gatekeeper/crypto'
import type { Actor, AdminDatabase, AdminOps, AdminTx, AuditInput } from '@gatekeeper/db/admin'
import { idSchema } from '@gatekeeper/models'
import type { ImportEntity, ImportReport, Outcome } from './counts'

type AuditAction = AuditInput['action']

/** Reads go to the database (dry run) or the import's transaction; writes only ever to the transaction. */
export type Queryable = AdminDatabase | AdminTx

export type RouteName = { domain: string; pattern: string; service: string }

/** State shared by the per-table importers during one run. */
export type ImportRun = {
  q: Queryable
  /** Null in a dry run: every importer decides what it would do and writes nothing. */
  tx: AdminTx | null
  sealer: Sealer
  actor: Actor
  insertCredentials: AdminOps['insertCredentialRows']
  /** writeAudit in the transaction, as the CLI's actor. */
  writeAudit(entry: AuditInput): Promise<void>
  report: ImportReport
  /** Ids now present (or, in a dry run, that would be) in our database, for the rows that refer to them. */
  routes: Map<string, RouteName>
  clients: Map<string, string>
}

export function tally(run: ImportRun, entity: ImportEntity, outcome: Outcome): void {
  run.report.counts[entity][outcome] += 1
}

export function skip(run: ImportRun, entity: ImportEntity, id: string, message: string): void {
  run.report.counts[entity].skipped += 1
  run.report.problems.push({ entity, id, message })
}

/** The original row's id when it is a UUID (ids are kept); otherwise the row is skipped and this is undefined. */
export function keptId(run: ImportRun, entity: ImportEntity, raw: string, field: string): string | undefined {
  const id = idSchema.safeParse(raw)
  if (id.success) return id.data
  skip(run, entity, raw, `${field} is not a UUID`)
  return undefined
}

/** A row checked by a shared schema: its data, or undefined once the row is skipped with the schema's issues. */
export function validOrSkip<T>(
  run: ImportRun,
  entity: ImportEntity,
  id: string,
  what: string,
  parsed: { success: true; data: T } | { success: false; error: Parameters<typeof describeIssues>[0] },
): T | undefined {
  if (parsed.success) return parsed.data
  skip(run, entity, id, `invalid ${what}: ${describeIssues(parsed.error)}`)
  return undefined
}

/**
 * One original row against ours (`current`, undefined when we have none): counted as created, unchanged or
 * updated and, outside a dry run, inserted or updated with its audit entry (the entity's wire shape before
 * and after).
 */
export async function importRow<Row>(
  run: ImportRun,
  entity: ImportEntity,
  spec: {
    audit: { entityType: AuditInput['entityType']; entityId: string; actions: [AuditAction, AuditAction] }
    current: Row | undefined
    unchanged: (current: Row) => boolean
    /** The insert or update, `.returning()` the written row. */
    insert: (tx: AdminTx) => PromiseLike<Row[]>
    update: (tx: AdminTx) => PromiseLike<Row[]>
    wire: (row: Row) => unknown
  },
): Promise<void> {
  const { entityType, entityId, actions } = spec.audit
  const { current } = spec
  if (current !== undefined && spec.unchanged(current)) return tally(run, entity, 'unchanged')
  tally(run, entity, current === undefined ? 'created' : 'updated')
  if (run.tx === null) return
  if (current === undefined) {
    const [row] = await spec.insert(run.tx)
    if (row) await run.writeAudit({ action: actions[0], entityType, entityId, after: spec.wire(row) })
    return
  }
  const before = spec.wire(current)
  const [row] = await spec.update(run.tx)
  if (row) await run.writeAudit({ action: actions[1], entityType, entityId, before, after: spec.wire(row) })
}

/** Epoch seconds from the original as a timestamp (0 means unknown: use now). */
export function dateOf(epochSeconds: number | null): Date | undefined {
  return epochSeconds === null || epochSeconds <= 0 ? undefined : new Date(epochSeconds * 1000)
}

/** Issues from a shared schema as one line. */
export function describeIssues(error: {
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>
}): string {
  return error.issues
    .map((i) => (i.path.length > 0 ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ')
}
