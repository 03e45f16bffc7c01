import { CLIENT_STATUSES, type ClientStatus } from '@gatekeeper/models'
import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { CliError } from '../../errors'
import { pickClient } from '../../pickers'
import { parseVersion } from '../options'
import { printClient } from './print'
import { type Json, parseMetadata, parseStatus } from './shared'

export function registerClientUpdate(client: Command, ctx: CliContext): void {
  client
    .command('update')
    .description('rename a client or change its status')
    .argument('[client]', 'the client: id or name (picked from a list on a terminal)')
    .option('--name <name>', 'new name')
    .option('--status <status>', `new status: ${CLIENT_STATUSES.join(', ')}`)
    .option('--metadata <json>', "replace the client's metadata with this JSON object; 'null' clears it")
    .option('--if-version <n>', 'only if the client is still at this version (exit 4 otherwise)')
    .option('--json', 'print the updated client as JSON')
    .action(
      async (
        id: string | undefined,
        opts: Json & { name?: string; status?: string; metadata?: string; ifVersion?: string },
      ) => {
        const prompter = ctx.prompter(opts)
        const { ops } = await ctx.session()
        const clientId = await pickClient(ops, prompter, id, '<client_id>')
        const current = await ops.clients.get(clientId)
        const body: Record<string, unknown> = {}
        if (opts.name !== undefined) body.client_name = opts.name
        if (opts.status !== undefined) body.status = parseStatus(opts.status)
        if (opts.metadata !== undefined) body.metadata = parseMetadata(opts.metadata)
        if (Object.keys(body).length === 0) {
          if (!prompter.interactive) throw CliError.usage('nothing to change: give --name, --status or --metadata')
          body.client_name = await prompter.text({
            message: 'Client name',
            flag: '--name',
            initial: current.client_name,
          })
          body.status = await prompter.select<ClientStatus>({
            message: 'Status',
            flag: '--status',
            options: CLIENT_STATUSES.map((s) => ({ value: s, label: s })),
            initial: current.status,
          })
        }
        if (opts.ifVersion !== undefined) body.version = parseVersion(opts.ifVersion)
        const updated = await ops.clients.update(ctx.actor, clientId, body)
        if (opts.json) return ctx.out.json(updated)
        ctx.out.success(`updated client ${updated.client_id}`)
        printClient(ctx.out, updated)
      },
    )
}
