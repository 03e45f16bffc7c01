import type { AdminOps } from '@gatekeeper/db/admin'
import type { Command } from 'commander'
import type { CliContext } from '../context'
import { guardDestructive, type Prompter } from '../prompt'

/** The flags every removing command takes. */
export type RemovalOpts = { yes?: boolean; json?: boolean }

/**
 * A command that removes something: the optional argument names it (picked from a list on a terminal),
 * `--yes` answers the confirmation and `--json` prints what was removed. `run` gets the prompter for
 * these flags and an admin session.
 */
export function registerRemoval(
  parent: Command,
  ctx: CliContext,
  spec: {
    /** The subcommand's name and description, as `[target]` and its description name the argument. */
    command: readonly [string, string]
    argument: readonly [string, string]
    json: string
    run: (given: string | undefined, opts: RemovalOpts, session: { prompter: Prompter; ops: AdminOps }) => Promise<void>
  },
): void {
  parent
    .command(spec.command[0])
    .description(spec.command[1])
    .argument(...spec.argument)
    .option('--yes', 'do not ask for confirmation')
    .option('--json', spec.json)
    .action(async (given: string | undefined, opts: RemovalOpts) => {
      const prompter = ctx.prompter(opts)
      const { ops } = await ctx.session()
      await spec.run(given, opts, { prompter, ops })
    })
}

/**
 * Removes once the operator has typed the word (or gave --yes), then prints what was removed: as JSON
 * with --json, else the success line `done` makes of it.
 */
export async function removeConfirmed<T>(
  ctx: CliContext,
  prompter: Prompter,
  opts: RemovalOpts,
  confirm: { action: string; word: string; question: string },
  remove: () => Promise<T>,
  done: (removed: T) => string,
): Promise<void> {
  await guardDestructive(prompter, { yes: opts.yes === true, action: confirm.action }, confirm.word, confirm.question)
  const removed = await remove()
  if (opts.json) ctx.out.json(removed)
  else ctx.out.success(done(removed))
}
