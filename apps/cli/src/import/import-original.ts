import { type Actor, type AdminTx, inTransaction, lockConfigWriters, writeAudit } from '@gatekeeper/db/admin'
import { type LiveConfig, readLiveConfigIn } from '@gatekeeper/db/config-as-code'
import type { ConfigDocument } from '@gatekeeper/models'
import type { Session } from '../context'
import { importAdmins } from './admins'
import { importClients } from './clients'
import { emptyReport, type ImportReport } from './counts'
import type { OriginalData } from './original'
import { importPermissions } from './permissions'
import { importRateLimits } from './rate-limits'
import { importRoutes } from './routes'
import type { ImportRun, Queryable } from './run'

function newRun(session: Session, actor: Actor, report: ImportReport, q: Queryable, tx: AdminTx | null): ImportRun {
  return {
    q,
    tx,
    sealer: session.sealer,
    actor,
    insertCredentials: session.ops.insertCredentialRows,
    writeAudit: (entry) => (tx === null ? Promise.resolve() : writeAudit(tx, actor, entry)),
    report,
    routes: new Map(),
    clients: new Map(),
  }
}

/** Routes and clients first: permissions and rate limits refer to them. */
async function importAll(run: ImportRun, data: OriginalData): Promise<void> {
  await importRoutes(run, data.routes)
  await importClients(run, data.clients)
  await importPermissions(run, data.permissions)
  await importRateLimits(run, data.rateLimits)
  await importAdmins(run, data.admins)
}

/**
 * Writes the original's configuration into ours in one transaction (all or nothing), or, for a dry
 * run, works out the same counts without writing. Routes and clients go first: permissions and rate
 * limits refer to them.
 */
export async function importOriginal(
  session: Session,
  actor: Actor,
  data: OriginalData,
  opts: { dryRun: boolean },
): Promise<ImportReport> {
  const report = emptyReport(opts.dryRun, data.missing)
  const db = session.handle.db
  if (opts.dryRun) await importAll(newRun(session, actor, report, db, null), data)
  else {
    await inTransaction(db, async (tx) => {
      await lockConfigWriters(tx)
      await importAll(newRun(session, actor, report, tx, tx), data)
    })
  }
  return report
}

class RolledBack extends Error {}

/**
 * The configuration this deployment would have after the import, as a configuration document, with
 * nothing written: the real import runs in a transaction that reads the result and rolls back. Credential
 * ids are left out (they would be new ones); kinds and API key prefixes stay, for review.
 */
export async function importOriginalAsDocument(
  session: Session,
  actor: Actor,
  data: OriginalData,
): Promise<{ report: ImportReport; document: ConfigDocument; duplicateClientNames: string[] }> {
  const report = emptyReport(true, data.missing)
  const captured: { live?: LiveConfig } = {}
  try {
    await inTransaction(session.handle.db, async (tx) => {
      await lockConfigWriters(tx)
      await importAll(newRun(session, actor, report, tx, tx), data)
      captured.live = await readLiveConfigIn(tx)
      throw new RolledBack()
    })
  } catch (err) {
    if (!(err instanceof RolledBack)) throw err
  }
  const result = captured.live
  if (result === undefined) throw new Error('import-original: the rolled-back import read nothing')
  const document: ConfigDocument = {
    ...result.document,
    clients: result.document.clients.map((c) => ({
      ...c,
      credentials: c.credentials.map(({ kind, prefix }) => (prefix === undefined ? { kind } : { kind, prefix })),
    })),
  }
  return { report, document, duplicateClientNames: result.duplicateClientNames }
}
