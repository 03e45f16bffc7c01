import { type FileHandle, open } from 'node:fs/promises'
import {
  applyConfig,
  type CreatedCredentials,
  planConfig,
  planCounts,
  readPlannedState,
  renderPlan,
} from '@gatekeeper/db/config-as-code'
import type { Command } from 'commander'
import type { CliContext } from '../context'
import { CliError } from '../errors'
import { ExitCode } from '../exit-codes'
import { guardDestructive } from '../prompt'
import { emptiedSections, loadConfigFile, printProblems } from './config-file'

type ApplyOptions = {
  file: string
  prune?: boolean
  dryRun?: boolean
  yes?: boolean
  credentialsOut?: string
  json?: boolean
}

/** Opened (mode 600, truncated) before anything is applied, so a path we cannot write fails before the commit. */
async function openCredentialsFile(file: string): Promise<FileHandle> {
  try {
    const handle = await open(file, 'w', 0o600)
    // An existing file keeps its mode on open; the secrets must not be readable by anyone else.
    await handle.chmod(0o600)
    return handle
  } catch (err) {
    throw CliError.usage(`cannot write ${file}: ${(err as Error).message}`)
  }
}

function credentialLines(created: readonly CreatedCredentials[]): string[] {
  return created.flatMap((c) => [
    ...(c.api_key !== undefined ? [`${c.client_name}\tapi_key\t${c.api_key}`] : []),
    ...(c.shared_secret !== undefined ? [`${c.client_name}\tshared_secret\t${c.shared_secret}`] : []),
  ])
}

export function registerConfigApply(program: Command, ctx: CliContext): void {
  program
    .command('apply')
    .description('make the live configuration match a file, in one transaction (all or nothing)')
    .requiredOption('-f, --file <file>', 'the configuration file (YAML or JSON)')
    .option('--prune', 'also delete live entities the file does not name')
    .option('--dry-run', 'print the plan and change nothing')
    .option('--yes', 'with --prune, do not ask before emptying a whole section (every route, client, admin, ...)')
    .option('--credentials-out <file>', "write new clients' credentials to this file (mode 600) instead of stdout")
    .option(
      '--json',
      'print {plan, applied, change_set_id, version_before, version_after, credentials} (credentials: [] with --credentials-out)',
    )
    .addHelpText(
      'after',
      `
Prints the plan (as diff does), then applies it in one database transaction: every change or none.
If the live configuration changes between the plan and the apply (another admin, another apply), the
apply is refused (exit ${ExitCode.conflict}) and nothing is written: run diff again. Every change is written to the
audit log; all entries of one apply share one change-set id (the audit entries' request id).

Clients created by the apply get new credentials of the kinds the file lists. They are shown once:
on stdout (client, kind, value; tab-separated) or, with --credentials-out, only in that file.

Exit status: 0 applied (or nothing to do), ${ExitCode.error} invalid file or failed apply (nothing written),
${ExitCode.conflict} the live state changed since the plan (nothing written), ${ExitCode.refused} a pruning apply would empty a
whole section the live state has entries in and was not confirmed (--yes), ${ExitCode.unavailable} cannot connect.

Example (CI on merge):
  gatekeeper apply -f gatekeeper.yaml --prune --credentials-out new-credentials.txt`,
    )
    .action(async (opts: ApplyOptions) => {
      const loaded = await loadConfigFile(opts.file, ExitCode.error)
      if (!loaded.ok) {
        printProblems(ctx, opts.file, loaded.problems)
        throw loaded.fail
      }
      const prune = opts.prune === true
      const { handle, sealer } = await ctx.session()
      const state = await readPlannedState(handle.db)
      if (state.duplicateClientNames.length > 0) {
        throw new CliError(
          ExitCode.error,
          `cannot plan: several live clients share the name ${state.duplicateClientNames.map((n) => JSON.stringify(n)).join(', ')} (rename them first: gatekeeper client update <id> --name ...)`,
        )
      }
      const plan = planConfig(state.document, loaded.document, { prune })
      const unapplied = {
        plan,
        applied: false,
        change_set_id: null,
        version_before: state.version,
        version_after: state.version,
        credentials: [],
      }
      if (!opts.json) for (const line of renderPlan(plan)) ctx.out.line(line)
      if (plan.changes.length === 0 || opts.dryRun === true) {
        if (opts.json) ctx.out.json(unapplied)
        else if (opts.dryRun === true && plan.changes.length > 0) ctx.out.note('dry run: nothing applied')
        return
      }
      const emptied = prune ? emptiedSections(state.document, loaded.document) : []
      if (emptied.length > 0) {
        const what = emptied.join(', ')
        await guardDestructive(
          ctx.prompter(opts),
          { yes: opts.yes === true, action: `prune ${what}: ${opts.file} lists none of them,` },
          'prune',
          `${opts.file} lists none of them, so --prune deletes ${what}. Type "prune" to go on`,
        )
      }

      const credentialsFile =
        opts.credentialsOut === undefined ? undefined : await openCredentialsFile(opts.credentialsOut)
      try {
        // Conditional on the state the printed plan was made from: what was shown is what gets applied.
        const result = await applyConfig(handle.db, loaded.document, {
          actor: ctx.actor,
          sealer,
          prune,
          expectedVersion: state.version,
          expectedFingerprint: state.fingerprint,
        })
        const counts = planCounts(result.plan)
        if (credentialsFile !== undefined) {
          const lines = credentialLines(result.credentials)
          if (lines.length > 0) await credentialsFile.writeFile(`${lines.join('\n')}\n`)
        }
        if (opts.json) {
          ctx.out.json({
            plan: result.plan,
            applied: result.applied,
            change_set_id: result.changeSetId,
            version_before: result.versionBefore,
            version_after: result.versionAfter,
            credentials: credentialsFile === undefined ? result.credentials : [],
          })
          return
        }
        ctx.out.success(
          `applied ${counts.create} create, ${counts.update} update, ${counts.delete} delete (change set ${result.changeSetId}, config version ${result.versionBefore} → ${result.versionAfter})`,
        )
        const lines = credentialLines(result.credentials)
        if (lines.length === 0) return
        if (credentialsFile !== undefined) {
          ctx.out.note(`new credentials written to ${opts.credentialsOut} (mode 600); they are not shown again`)
        } else {
          ctx.out.warn('new credentials, shown once: store them now')
          for (const line of lines) ctx.out.line(line)
        }
      } finally {
        await credentialsFile?.close()
      }
    })
}
