import type { AdminOps } from '@gatekeeper/db/admin'
import type { Command } from 'commander'
import type { CliContext } from '../context'
import { guardDestructive, type Prompter } from '../prompt'

/** The flags every removing command takes. */
export type RemovalOpts = { yes?: boolean; json?: boolean }

/**
 * A command that removes something: the optional argument names it (picked from a list on a terminal),
 * `--yes` answers the confirmation and `--json` prints what was removed.
 */
export type Removal = {
  /** The subcommand's name and description, as `argument` holds the argument's syntax and description. */
  command: readonly [string, string]
  argument: readonly [string, string]
  /** What --json prints. */
  json: string
  /** The command itself, with the prompter for its flags and an admin session. */
  run: (
    given: string | undefined,
    opts: RemovalOpts,
    session: { ctx: CliContext; prompter: Prompter; ops: AdminOps },
  ) => Promise<void>
}

export function registerRemoval(parent: Command, ctx: CliContext, removal: Removal): void {
  parent
    .command(removal.command[0])
    .description(removal.command[1])
    .argument(...removal.argument)
    .option('--yes', 'do not ask for confirmation')
    .option('--json', removal.json)
    .action(async (given: string | undefined, opts: RemovalOpts) => {
      const prompter = ctx.prompter(opts)
      const { ops } = await ctx.session()
      await removal.run(given, opts, { ctx, prompter, ops })
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
