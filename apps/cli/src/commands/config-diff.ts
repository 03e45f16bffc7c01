import { planConfig, readLiveConfig, renderPlan } from '@gatekeeper/db/config-as-code'
import type { Command } from 'commander'
import type { CliContext } from '../context'
import { CliError, QuietExit } from '../errors'
import { ExitCode } from '../exit-codes'
import { emptiedSections, loadConfigFile, printProblems } from './config-file'

type DiffOptions = { file: string; prune?: boolean; json?: boolean }

/** diff's answer "there are changes": 2, as `diff(1)` and `terraform plan -detailed-exitcode` use it. */
const DIFF_CHANGES_EXIT: ExitCode = 2

export function registerConfigDiff(program: Command, ctx: CliContext): void {
  program
    .command('diff')
    .description('show what would change to make the live configuration match a file (read-only)')
    .requiredOption('-f, --file <file>', 'the configuration file (YAML or JSON)')
    .option('--prune', 'also plan to delete live entities the file does not name')
    .option('--json', 'print the plan {prune, changes, unmanaged, notes} as JSON')
    .addHelpText(
      'after',
      `
Lines: "+ create", "~ update" (one line per changed field: old → new), "- delete". Without --prune nothing
is deleted: live entities the file does not name are listed as kept. Entities are matched by name (a
route by domain + route_pattern, a client by name), so a renamed client is a delete and a create.
Credentials are never compared (a file has no secrets): the live ones are kept.

Exit status: 0 no change, ${DIFF_CHANGES_EXIT} changes, ${ExitCode.error} the file is invalid or the plan cannot be made
(run validate for the file's problems), ${ExitCode.unavailable} cannot connect.

Example (CI on a pull request):
  gatekeeper validate -f gatekeeper.yaml && gatekeeper diff -f gatekeeper.yaml --prune`,
    )
    .action(async (opts: DiffOptions) => {
      // Invalid input is exit 1 here, not 2, so that 2 means only "changes" to a CI job.
      const loaded = await loadConfigFile(opts.file, ExitCode.error)
      if (!loaded.ok) {
        printProblems(ctx, opts.file, loaded.problems)
        throw loaded.fail
      }
      const { handle } = await ctx.session()
      const live = await readLiveConfig(handle.db)
      if (live.duplicateClientNames.length > 0) {
        throw new CliError(
          ExitCode.error,
          `cannot plan: several live clients share the name ${live.duplicateClientNames.map((n) => JSON.stringify(n)).join(', ')} (rename them first: gatekeeper client update <id> --name ...)`,
        )
      }
      const plan = planConfig(live.document, loaded.document, { prune: opts.prune === true })
      if (opts.json) ctx.out.json(plan)
      else for (const line of renderPlan(plan)) ctx.out.line(line)
      const emptied = opts.prune === true ? emptiedSections(live.document, loaded.document) : []
      if (emptied.length > 0)
        ctx.out.warn(
          `${opts.file} lists no ${emptied.join(', ')}: apply --prune deletes them all only once confirmed (--yes)`,
        )
      if (plan.changes.length > 0) throw new QuietExit(DIFF_CHANGES_EXIT)
    })
}
