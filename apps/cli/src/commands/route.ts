import { domainProblem, type RouteMethods, type RouteWire, routePatternProblem } from '@gatekeeper/models'
import type { Command } from 'commander'
import type { CliContext } from '../context'
import { CliError } from '../errors'
import { askMethods, collect, parseMethodList, parseMethodSpecs } from '../methods'
import { formatTime, type Output } from '../output'
import { pickRoute } from '../pickers'
import { guardDestructive } from '../prompt'
import { methodsSummary, methodsText, routeLabel } from '../render'
import { parseVersion } from './options'

type RouteFields = {
  pattern?: string
  domain?: string
  service?: string
  method: string[]
  metadataHeader?: string
  json?: boolean
}

const METHOD_HELP = 'METHOD=AUTH, AUTH one of public, api_key, hmac, hmac_v2, hmac_any (repeatable, or comma-separated)'

export function registerRoute(program: Command, ctx: CliContext): void {
  const route = program.command('route').description('protected endpoints and the authentication each method requires')

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
      if (opts.json) return ctx.out.json(routes)
      if (routes.length === 0) return ctx.out.line('no routes')
      ctx.out.table(
        ['ROUTE ID', 'DOMAIN', 'PATTERN', 'SERVICE', 'METHODS'],
        routes.map((r) => [r.route_id, r.domain, r.route_pattern, r.service_name, methodsSummary(r.methods)]),
      )
    })

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

export function printRoute(out: Output, route: RouteWire): void {
  out.fields([
    ['Route ID', route.route_id],
    ['Pattern', route.route_pattern],
    ['Domain', route.domain],
    ['Service', route.service_name],
    ['Methods', methodsSummary(route.methods)],
    ...(route.metadata_header == null ? [] : [['Metadata header', route.metadata_header] as [string, string]]),
    ['Version', String(route.version ?? '-')],
    ['Updated', formatTime(route.updated_at)],
  ])
}
