import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { findRateLimit } from '../../lookups'
import { pickClient } from '../../pickers'
import { limitText, methodsText, permissionTarget } from '../../render'
import { printClient, printCredentialList } from './print'
import type { Json } from './shared'

export function registerClientShow(client: Command, ctx: CliContext): void {
  client
    .command('show')
    .description('show a client, its permissions and rate limit')
    .argument('[client]', 'the client: id or name (picked from a list on a terminal)')
    .option('--json', 'print the client as JSON')
    .action(async (id: string | undefined, opts: Json) => {
      const { ops } = await ctx.session()
      const clientId = await pickClient(ops, ctx.prompter(opts), id, '<client_id>')
      const found = await ops.clients.get(clientId)
      if (opts.json) return ctx.out.json(found)
      printClient(ctx.out, found)
      printCredentialList(ctx.out, found.credentials ?? [])
      const limit = await findRateLimit(ops, clientId)
      ctx.out.fields([['Rate limit', limit ? limitText(limit) : 'none']])
      const permissions = await ops.permissions.list({ client_id: clientId })
      ctx.out.line()
      if (permissions.length === 0) return ctx.out.line('no permissions (`gatekeeper permission grant`)')
      ctx.out.table(
        ['ROUTE', 'SERVICE', 'ALLOWED', 'PERMISSION ID'],
        permissions.map((p) => [
          permissionTarget(p),
          p.route_service_name,
          methodsText(p.allowed_methods),
          p.permission_id,
        ]),
      )
    })
}
