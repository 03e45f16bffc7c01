import { type Actor, type AdminTx, inTransaction, lockConfigWriters, writeAudit } from '@gatekeeper/db/admin'
import type { Session } from '../context'
import { importAdmins } from './admins'
import { importClients } from './clients'
import { emptyReport, type ImportReport } from './counts'
import type { OriginalData } from './original'
import { importPermissions } from './permissions'
import { importRateLimits } from './rate-limits'
import { importRoutes } from './routes'
import type { ImportRun, Queryable } from './run'

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
  const runAll = async (q: Queryable, tx: AdminTx | null) => {
    const run: ImportRun = {
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
    await importRoutes(run, data.routes)
    await importClients(run, data.clients)
    await importPermissions(run, data.permissions)
    await importRateLimits(run, data.rateLimits)
    await importAdmins(run, data.admins)
  }
  const db = session.handle.db
  if (opts.dryRun) await runAll(db, null)
  else {
    await inTransaction(db, async (tx) => {
      await lockConfigWriters(tx)
      await runAll(tx, tx)
    })
  }
  return report
}
