import type { ClientStatus } from '@gatekeeper/models'
import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { pickClient } from '../../pickers'
import { guardDestructive } from '../../prompt'
import { statusText } from '../../render'
import type { Json } from './shared'

export function registerClientStatusCommands(client: Command, ctx: CliContext): void {
  const statusCommand = (name: string, status: ClientStatus, description: string, confirmWord?: string) =>
    client
      .command(name)
      .description(description)
      .argument('[client]', 'the client: id or name (picked from a list on a terminal)')
      .option('--yes', confirmWord ? 'do not ask for confirmation' : 'accepted for symmetry (nothing is asked)')
      .option('--json', 'print the updated client as JSON')
      .action(async (id: string | undefined, opts: Json & { yes?: boolean }) => {
        const prompter = ctx.prompter(opts)
        const { ops } = await ctx.session()
        const clientId = await pickClient(ops, prompter, id, '<client_id>', (c) => c.status !== status)
        const current = await ops.clients.get(clientId)
        if (current.status === status) {
          if (opts.json) return ctx.out.json(current)
          return ctx.out.line(`client ${current.client_name} is already ${status}`)
        }
        if (confirmWord !== undefined) {
          if (!opts.json)
            ctx.out.line(`Client ${current.client_name} (${current.client_id}) will be refused by authz from now on.`)
          await guardDestructive(
            prompter,
            { yes: opts.yes === true, action: `${name} client ${clientId}` },
            confirmWord,
            `${name[0]?.toUpperCase()}${name.slice(1)} this client?`,
          )
        }
        const updated = await ops.clients.update(ctx.actor, clientId, { status, version: current.version })
        if (opts.json) return ctx.out.json(updated)
        ctx.out.success(`client ${updated.client_name} is now ${statusText(updated.status, ctx.out.style)}`)
      })

  statusCommand('suspend', 'suspended', 'suspend a client: requests are refused until it is activated again')
  statusCommand('activate', 'active', 'activate a suspended (or revoked) client')
  statusCommand('revoke', 'revoked', 'revoke a client for good (asks you to type "revoke")', 'revoke')
}
