import type { Command } from 'commander'
import type { CliContext } from '../context'
import { type Removal, registerRemoval } from './removal'

/** A subcommand module's registration, as every command module exports one. */
export type Register = (parent: Command, ctx: CliContext) => void

/**
 * `gatekeeper <name> …`: a command that only groups its subcommands. The order of `subcommands` is the order
 * `--help` lists them in; a subcommand is a module's registration, a removing command or a nested group.
 */
export type CommandGroup = {
  name: string
  description: string
  subcommands: ReadonlyArray<Subcommand>
}

export type Subcommand = Register | Removal | CommandGroup

function registerGroup(parent: Command, ctx: CliContext, group: CommandGroup): void {
  const command = parent.command(group.name).description(group.description)
  registerSubcommands(command, ctx, group.subcommands)
}

/** Registers each in order under `parent`. */
export function registerSubcommands(parent: Command, ctx: CliContext, subcommands: ReadonlyArray<Subcommand>): void {
  for (const sub of subcommands) {
    if (typeof sub === 'function') sub(parent, ctx)
    else if ('subcommands' in sub) registerGroup(parent, ctx, sub)
    else registerRemoval(parent, ctx, sub)
  }
}
