import type { Command } from 'commander'
import type { CliContext } from '../context'
import { redactUrl } from '../database'
import { IMPORT_ENTITIES } from '../import/counts'
import { importOriginal } from '../import/import-original'
import { readOriginal } from '../import/original'

export function registerImportOriginal(program: Command, ctx: CliContext): void {
  program
    .command('import-original')
    .description(
      "copy an original (Python) gatekeeper's routes, clients, permissions, rate limits and console admins into this one",
    )
    .option('--from <url>', "the original's PostgreSQL URL, e.g. postgres://api_auth_admin:…@db:5432/api_auth_admin")
    .option('--dry-run', 'report what would be created or updated; write nothing')
    .option('--json', 'print {dry_run, counts, problems, missing_tables} as JSON')
    .addHelpText(
      'after',
      `
Ids are preserved (existing integrations and HMAC client ids keep working); API keys are stored only as
digests and shared secrets sealed with the master key. Running it again changes only what differs.

Example:
  gatekeeper import-original --from postgres://api_auth_admin:secret@old-db:5432/api_auth_admin --dry-run`,
    )
    .action(async (opts: { from?: string; dryRun?: boolean; json?: boolean }) => {
      const from =
        opts.from ??
        (await ctx
          .prompter(opts)
          .text({ message: 'Original database URL', flag: '--from', placeholder: 'postgres://…' }))
      const data = await readOriginal(from)
      const session = await ctx.session()
      const report = await importOriginal(session, ctx.actor, data, { dryRun: opts.dryRun === true })
      if (opts.json) return ctx.out.json(report)
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
    })
}
