import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { methodsSummary } from '../../render'

export function registerRouteList(route: Command, ctx: CliContext): void {
  route
    .command('list')
    .description('list routes')
    .option('--domain <domain>', 'only routes for this domain')
    .option('--service <name>', 'only routes of this service')
    .option('--json', 'print the routes as a JSON array')
    .action(async (opts: { domain?: string; service?: string; json?: boolean }) => {
      const { ops } = await ctx.session()
      const routes = (await ops.routes.list()).filter(
        (r) =>
          (opts.domain === undefined || r.domain === opts.domain.toLowerCase()) &&
          (opts.service === undefined || r.service_name === opts.service),
      )
      ctx.out.list(routes, opts, {
        empty: 'no routes',
        headers: ['ROUTE ID', 'DOMAIN', 'PATTERN', 'SERVICE', 'METHODS'],
        row: (r) => [r.route_id, r.domain, r.route_pattern, r.service_name, methodsSummary(r.methods)],
      })
    })
}
