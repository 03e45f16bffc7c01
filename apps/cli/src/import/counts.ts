export const IMPORT_ENTITIES = ['routes', 'clients', 'permissions', 'rate_limits', 'console_admins'] as const
export type ImportEntity = (typeof IMPORT_ENTITIES)[number]

export type Tally = { created: number; updated: number; unchanged: number; skipped: number }
export type Outcome = keyof Tally

/** A row that could not be imported as it is, and why (ids only: never a credential). */
export type ImportProblem = { entity: ImportEntity; id: string; message: string }

export type ImportReport = {
  dry_run: boolean
  counts: Record<ImportEntity, Tally>
  problems: ImportProblem[]
  /** Optional tables the original did not have. */
  missing_tables: string[]
}

export function emptyReport(dryRun: boolean, missing: string[]): ImportReport {
  const tally = (): Tally => ({ created: 0, updated: 0, unchanged: 0, skipped: 0 })
  return {
    dry_run: dryRun,
    counts: {
      routes: tally(),
      clients: tally(),
      permissions: tally(),
      rate_limits: tally(),
      console_admins: tally(),
    },
    problems: [],
    missing_tables: missing,
  }
}
