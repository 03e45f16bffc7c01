import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { pickRoute } from '../../pickers'
import { guardDestructive } from '../../prompt'
import { methodsText, routeLabel } from '../../render'

export function registerRouteDelete(route: Command, ctx: CliContext): void {
  route
    .command('delete')
    .description('delete a route and every permission on it (asks you to type "delete")')
    .argument('[route]', 'the route: id, pattern, domain/pattern or service name (picked from a list on a terminal)')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print {route, cascaded} as JSON')
    .action(async (id: string | undefined, opts: { yes?: boolean; json?: boolean }) => {
      const prompter = ctx.prompter(opts)
      const { ops } = await ctx.session()
      const routeId = await pickRoute(ops, prompter, id, '<route_id>')
      const found = await ops.routes.get(routeId)
      const permissions = await ops.permissions.list({ route_id: routeId })
      if (!opts.json) {
        ctx.out.line(`Route ${routeLabel(found)} (${found.service_name}, ${found.route_id})`)
        ctx.out.line(
          permissions.length === 0
            ? 'No permissions refer to it.'
            : `Deleting it also revokes ${permissions.length} permission${permissions.length === 1 ? '' : 's'}:`,
        )
        for (const p of permissions) ctx.out.line(`  - ${p.client_name} (${methodsText(p.allowed_methods)})`)
      }
      await guardDestructive(
        prompter,
        { yes: opts.yes === true, action: `delete route ${routeId}` },
        'delete',
        'Delete this route?',
      )
      const result = await ops.routes.remove(ctx.actor, routeId, { expectedVersion: found.version })
      if (opts.json) return ctx.out.json(result)
      ctx.out.success(`deleted route ${routeLabel(result.route)} and ${result.cascaded.permissions} permission(s)`)
    })
}
