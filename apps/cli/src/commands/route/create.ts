import { domainProblem, routePatternProblem } from '@gatekeeper/models'
import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { askMethods, collect, parseMethodSpecs } from '../../methods'
import { METHOD_HELP, printRoute, type RouteFields } from './shared'

export function registerRouteCreate(route: Command, ctx: CliContext): void {
  route
    .command('create')
    .description('create a route (asks for anything missing when run on a terminal)')
    .option('--pattern <pattern>', "path pattern: exact (/api/health) or prefix ending in '/*' (/api/users/*)")
    .option('--domain <domain>', 'host it applies to: api.example.com, *.example.com, or * (any)')
    .option('--service <name>', 'name of the upstream service')
    .option('--method <METHOD=AUTH>', METHOD_HELP, collect, [])
    .option(
      '--metadata-header <name>',
      "send the client's metadata upstream in this header on an allow (e.g. X-Client-Metadata)",
    )
    .option('--json', 'print the created route as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  gatekeeper route create --pattern "/api/users/*" --domain api.example.com --service users --method GET=public --method POST=api_key,DELETE=hmac',
    )
    .action(async (opts: RouteFields) => {
      const prompter = ctx.prompter(opts)
      let methods = parseMethodSpecs(opts.method)
      const missingSomething =
        opts.pattern === undefined || opts.service === undefined || Object.keys(methods).length === 0
      const asking = prompter.interactive && missingSomething
      const pattern =
        opts.pattern ??
        (await prompter.text({
          message: 'Route pattern',
          flag: '--pattern',
          placeholder: '/api/users/*',
          validate: (v) => routePatternProblem(v) ?? undefined,
        }))
      const domain =
        opts.domain ??
        (asking
          ? await prompter.text({
              message: 'Domain (exact host, *.example.com for subdomains, * for any)',
              flag: '--domain',
              initial: '*',
              validate: (v) => domainProblem(v.trim().toLowerCase()) ?? undefined,
            })
          : '*')
      const service =
        opts.service ??
        (await prompter.text({
          message: 'Service name',
          flag: '--service',
          placeholder: 'user-service',
          validate: (v) => (v.trim() === '' ? 'must not be empty' : undefined),
        }))
      if (Object.keys(methods).length === 0) methods = await askMethods(prompter)

      const { ops } = await ctx.session()
      const created = await ops.routes.create(ctx.actor, {
        route_pattern: pattern,
        domain,
        service_name: service,
        methods,
        ...(opts.metadataHeader !== undefined ? { metadata_header: opts.metadataHeader } : {}),
      })
      if (opts.json) return ctx.out.json(created)
      ctx.out.success(`created route ${created.route_id}`)
      printRoute(ctx.out, created)
    })
}
