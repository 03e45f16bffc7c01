import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { pickRoute } from '../../pickers'
import { methodsText } from '../../render'
import { printRoute } from './shared'

export function registerRouteShow(route: Command, ctx: CliContext): void {
  route
    .command('show')
    .description('show a route and which clients may call it')
    .argument('[route]', 'the route: id, pattern, domain/pattern or service name (picked from a list on a terminal)')
    .option('--json', 'print the route as JSON')
    .action(async (id: string | undefined, opts: { json?: boolean }) => {
      const { ops } = await ctx.session()
      const routeId = await pickRoute(ops, ctx.prompter(opts), id, '<route_id>')
      const found = await ops.routes.get(routeId)
      if (opts.json) return ctx.out.json(found)
      printRoute(ctx.out, found)
      const permissions = await ops.permissions.list({ route_id: found.route_id })
      ctx.out.line()
      if (permissions.length === 0)
        return ctx.out.line('no client may call this route yet (`gatekeeper permission grant`)')
      ctx.out.table(
        ['CLIENT', 'CLIENT ID', 'ALLOWED', 'PERMISSION ID'],
        permissions.map((p) => [p.client_name, p.client_id, methodsText(p.allowed_methods), p.permission_id]),
      )
    })
}
