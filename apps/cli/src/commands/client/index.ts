import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { registerRemoval } from '../removal'
import { registerClientAllowIp } from './allow-ip'
import { registerClientCreate } from './create'
import { clientDelete } from './delete'
import { registerClientExpire } from './expire'
import { registerClientList } from './list'
import { registerClientRotate } from './rotate'
import { registerClientShow } from './show'
import { registerClientStatusCommands } from './status'
import { registerClientUpdate } from './update'
import { registerClientUsage } from './usage'

/** `gatekeeper client …`: one module per subcommand; the order here is the order `--help` lists them in. */
export function registerClient(program: Command, ctx: CliContext): void {
  const client = program.command('client').description('API consumers, their credentials and status')
  registerClientCreate(client, ctx)
  registerClientList(client, ctx)
  registerClientShow(client, ctx)
  registerClientUpdate(client, ctx)
  registerClientStatusCommands(client, ctx)
  registerClientExpire(client, ctx)
  registerClientAllowIp(client, ctx)
  registerClientUsage(client, ctx)
  registerClientRotate(client, ctx)
  registerRemoval(client, ctx, clientDelete)
}
