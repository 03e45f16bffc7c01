import { writeFile } from 'node:fs/promises'
import { serializeConfig } from '@gatekeeper/db/config-as-code'
import type { Command } from 'commander'
import type { CliContext } from '../context'
import { redactUrl } from '../database'
import { CliError } from '../errors'
import { IMPORT_ENTITIES, type ImportReport } from '../import/counts'
import { importOriginal, importOriginalAsDocument } from '../import/import-original'
import { readOriginal } from '../import/original'

export function registerImportOriginal(program: Command, ctx: CliContext): void {
  program
    .command('import-original')
    .description(
      "copy an original (Python) gatekeeper's routes, clients, permissions, rate limits and console admins into this one",
    )
    .option('--from <url>', "the original's PostgreSQL URL, e.g. postgres://api_auth_admin:…@db:5432/api_auth_admin")
    .option('--dry-run', 'report what would be created or updated; write nothing')
    .option(
      '--to-file <file>',
      'write nothing; write the configuration after the import as a config file (yaml, or json for .json) for review',
    )
    .option('--json', 'print {dry_run, counts, problems, missing_tables} as JSON (with --to-file: and to_file)')
    .addHelpText(
      'after',
      `
Ids are preserved (existing integrations and HMAC client ids keep working); API keys are stored only as
digests and shared secrets sealed with the master key. Running it again changes only what differs.

--to-file runs the import in a transaction that is rolled back and writes the configuration this
deployment would then have, in the format of gatekeeper export (docs/config-as-code.md), without secrets or
credential ids. Review it, then run import-original itself: it keeps ids and keys, which applying the file
cannot (gatekeeper apply gives new clients new credentials).

Examples:
  gatekeeper import-original --from postgres://api_auth_admin:secret@old-db:5432/api_auth_admin --dry-run
  gatekeeper import-original --from postgres://api_auth_admin:secret@old-db:5432/api_auth_admin --to-file import.yaml`,
    )
    .action(async (opts: { from?: string; dryRun?: boolean; toFile?: string; json?: boolean }) => {
      const from =
        opts.from ??
        (await ctx
          .prompter(opts)
          .text({ message: 'Original database URL', flag: '--from', placeholder: 'postgres://…' }))
      const data = await readOriginal(from)
      const session = await ctx.session()
      if (opts.toFile !== undefined) {
        const { report, document, duplicateClientNames } = await importOriginalAsDocument(session, ctx.actor, data)
        const format = opts.toFile.toLowerCase().endsWith('.json') ? 'json' : 'yaml'
        try {
          await writeFile(opts.toFile, serializeConfig(document, format))
        } catch (err) {
          throw CliError.failed(`cannot write ${opts.toFile}: ${(err as Error).message}`)
        }
        if (opts.json) return ctx.out.json({ ...report, to_file: opts.toFile })
        printReport(ctx, from, report)
        if (duplicateClientNames.length > 0) {
          ctx.out.warn(
            `several clients would share the name ${duplicateClientNames.map((n) => JSON.stringify(n)).join(', ')}: validate, diff and apply refuse such a file until they are renamed`,
          )
        }
        ctx.out.note(
          `wrote ${opts.toFile}: ${document.routes.length} routes, ${document.clients.length} clients, ${document.permissions.length} permissions, ${document.rate_limits.length} rate limits, ${document.console_admins.length} console admins (the configuration after the import)`,
        )
        return
      }
      const report = await importOriginal(session, ctx.actor, data, { dryRun: opts.dryRun === true })
      if (opts.json) return ctx.out.json(report)
      printReport(ctx, from, report)
    })
}

function printReport(ctx: CliContext, from: string, report: ImportReport): void {
  const { out } = ctx
  out.line(`${report.dry_run ? 'Dry run: would import' : 'Imported'} from ${redactUrl(from)}`)
  out.table(
    [
      '',
      report.dry_run ? 'WOULD CREATE' : 'CREATED',
      report.dry_run ? 'WOULD UPDATE' : 'UPDATED',
      'UNCHANGED',
      'SKIPPED',
    ],
    IMPORT_ENTITIES.map((e) => {
      const t = report.counts[e]
      return [e.replace('_', ' '), String(t.created), String(t.updated), String(t.unchanged), String(t.skipped)]
    }),
  )
  for (const t of report.missing_tables) out.note(`note: the original has no ${t} table`)
  for (const p of report.problems) out.warn(`${p.entity} ${p.id}: ${p.message}`)
  if (report.dry_run) out.line('Nothing was written.')
}
