import { domainProblem, type RouteMethods, type RouteWire, routePatternProblem } from '@gatekeeper/models'
import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { CliError } from '../../errors'
import { askMethods, collect, parseMethodList, parseMethodSpecs } from '../../methods'
import { pickRoute } from '../../pickers'
import { methodsSummary } from '../../render'
import { parseVersion } from '../options'
import { METHOD_HELP, printRoute, type RouteFields } from './shared'

export function registerRouteUpdate(route: Command, ctx: CliContext): void {
  route
    .command('update')
    .description('change a route; --method sets one method, --remove-method drops one')
    .argument('[route]', 'the route: id, pattern, domain/pattern or service name (picked from a list on a terminal)')
    .option('--pattern <pattern>', 'new path pattern')
    .option('--domain <domain>', 'new domain')
    .option('--service <name>', 'new service name')
    .option('--method <METHOD=AUTH>', `${METHOD_HELP}; other methods are kept`, collect, [])
    .option('--remove-method <METHOD>', 'stop handling this method (repeatable)', collect, [])
    .option('--replace-methods', 'the --method flags are the complete new set')
    .option('--metadata-header <name>', "the header carrying the client's metadata upstream; 'none' stops sending it")
    .option('--if-version <n>', 'only if the route is still at this version (exit 4 otherwise)')
    .option('--json', 'print the updated route as JSON')
    .action(
      async (
        id: string | undefined,
        opts: RouteFields & { removeMethod: string[]; replaceMethods?: boolean; ifVersion?: string },
      ) => {
        const prompter = ctx.prompter(opts)
        const { ops } = await ctx.session()
        const routeId = await pickRoute(ops, prompter, id, '<route_id>')
        const current = await ops.routes.get(routeId)
        const body: Record<string, unknown> = {}
        if (opts.pattern !== undefined) body.route_pattern = opts.pattern
        if (opts.domain !== undefined) body.domain = opts.domain
        if (opts.service !== undefined) body.service_name = opts.service
        if (opts.metadataHeader !== undefined) {
          body.metadata_header = opts.metadataHeader === 'none' ? null : opts.metadataHeader
        }
        const specs = parseMethodSpecs(opts.method)
        const removed = parseMethodList(opts.removeMethod, '--remove-method')
        if (opts.method.length > 0 || removed.length > 0) {
          const methods: RouteMethods = opts.replaceMethods ? specs : { ...current.methods, ...specs }
          for (const m of removed) delete methods[m]
          body.methods = methods
        }
        if (Object.keys(body).length === 0) {
          if (!prompter.interactive) {
            throw CliError.usage(
              'nothing to change: give --pattern, --domain, --service, --method, --remove-method or --metadata-header',
            )
          }
          Object.assign(body, await askRouteChanges(ctx, current))
        }
        if (opts.ifVersion !== undefined) body.version = parseVersion(opts.ifVersion)
        const updated = await ops.routes.update(ctx.actor, routeId, body)
        if (opts.json) return ctx.out.json(updated)
        ctx.out.success(`updated route ${updated.route_id}`)
        printRoute(ctx.out, updated)
      },
    )
}

async function askRouteChanges(ctx: CliContext, current: RouteWire): Promise<Record<string, unknown>> {
  const prompter = ctx.prompter({})
  const fields = await prompter.multiselect<'pattern' | 'domain' | 'service' | 'methods'>({
    message: 'What do you want to change?',
    flag: '--pattern/--domain/--service/--method',
    options: [
      { value: 'pattern', label: 'Route pattern', hint: current.route_pattern },
      { value: 'domain', label: 'Domain', hint: current.domain },
      { value: 'service', label: 'Service name', hint: current.service_name },
      { value: 'methods', label: 'Methods and authentication', hint: methodsSummary(current.methods) },
    ],
  })
  const body: Record<string, unknown> = {}
  if (fields.includes('pattern')) {
    body.route_pattern = await prompter.text({
      message: 'Route pattern',
      flag: '--pattern',
      initial: current.route_pattern,
      validate: (v) => routePatternProblem(v) ?? undefined,
    })
  }
  if (fields.includes('domain')) {
    body.domain = await prompter.text({
      message: 'Domain',
      flag: '--domain',
      initial: current.domain,
      validate: (v) => domainProblem(v.trim().toLowerCase()) ?? undefined,
    })
  }
  if (fields.includes('service')) {
    body.service_name = await prompter.text({
      message: 'Service name',
      flag: '--service',
      initial: current.service_name,
    })
  }
  if (fields.includes('methods')) body.methods = await askMethods(prompter, current.methods)
  return body
}
