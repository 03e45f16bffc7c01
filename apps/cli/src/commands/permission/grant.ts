import { HTTP_METHODS, type HttpMethod } from '@gatekeeper/models'
import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { CliError } from '../../errors'
import { authOf, collect, parseMethodList } from '../../methods'
import { pickClient, pickRoute } from '../../pickers'
import { methodsText, permissionTarget, routeLabel } from '../../render'
import type { Json } from './shared'

export function registerPermissionGrant(permission: Command, ctx: CliContext): void {
  permission
    .command('grant')
    .description('grant a client methods on a route (replaces the methods of an existing grant)')
    .option('--client <client>', 'the client: id or name')
    .option('--route <route>', 'the route: id, pattern, domain/pattern or service name')
    .option('--methods <list>', 'allowed methods, e.g. GET,POST (repeatable)', collect, [])
    .option('--json', 'print {created, permission} as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  gatekeeper permission grant --client <client_id> --route <route_id> --methods GET,POST',
    )
    .action(async (opts: Json & { client?: string; route?: string; methods: string[] }) => {
      const prompter = ctx.prompter(opts)
      let methods = parseMethodList(opts.methods)
      const { ops } = await ctx.session()
      const asking =
        prompter.interactive && (opts.client === undefined || opts.route === undefined || methods.length === 0)
      const clientId = await pickClient(ops, prompter, opts.client, '--client')
      const routeId = await pickRoute(ops, prompter, opts.route, '--route')
      if (methods.length === 0) {
        if (!prompter.interactive) throw CliError.usage('missing --methods (no terminal to ask on; see --help)')
        const route = await ops.routes.get(routeId)
        const [existing] = await ops.permissions.list({ client_id: clientId, route_id: routeId })
        if (existing)
          prompter.note(
            `This client already has ${methodsText(existing.allowed_methods)} on this route; your choice replaces it.`,
            'Existing permission',
          )
        const offered = HTTP_METHODS.filter((m) => route.methods[m] !== undefined)
        methods = await prompter.multiselect<HttpMethod>({
          message: 'Methods to allow',
          flag: '--methods',
          options: (offered.length > 0 ? offered : HTTP_METHODS).map((m) => {
            const rule = route.methods[m]
            return { value: m, label: m, hint: rule ? authOf(rule) : 'not configured on the route' }
          }),
          initial: existing?.allowed_methods ?? offered,
        })
      }
      if (asking) {
        const [client, route] = [await ops.clients.get(clientId), await ops.routes.get(routeId)]
        prompter.note(
          `${client.client_name} → ${routeLabel(route)} (${route.service_name})\nAllow: ${methodsText(methods)}`,
          'Review',
        )
        await prompter.confirm('Grant this permission?')
      }
      const granted = await ops.permissions.grant(ctx.actor, {
        client_id: clientId,
        route_id: routeId,
        allowed_methods: methods,
      })
      if (opts.json) return ctx.out.json(granted)
      const p = granted.permission
      ctx.out.success(
        `${granted.created ? 'granted' : 'updated'}: ${p.client_name} may ${methodsText(p.allowed_methods)} ${permissionTarget(p)} (permission ${p.permission_id})`,
      )
    })
}
