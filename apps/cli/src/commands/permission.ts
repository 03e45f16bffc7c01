import type { PermissionWireWithVersion } from '@gatekeeper/db/admin'
import { HTTP_METHODS, type HttpMethod } from '@gatekeeper/models'
import type { Command } from 'commander'
import type { CliContext } from '../context'
import { CliError } from '../errors'
import { resolveClient, resolveRoute } from '../lookups'
import { authOf, collect, parseMethodList } from '../methods'
import { pickClient, pickPermission, pickRoute } from '../pickers'
import { guardDestructive } from '../prompt'
import { methodsSummary, methodsText, permissionTarget, routeLabel, statusText } from '../render'

type Json = { json?: boolean }

export function registerPermission(program: Command, ctx: CliContext): void {
  const permission = program.command('permission').description('which client may call which route, with which methods')

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

  permission
    .command('list')
    .description('list permissions, grouped by client (or, with --route, who may call that route)')
    .option('--client <client>', 'only this client (id or name)')
    .option('--route <route>', 'only this route (id, pattern, domain/pattern or service name)')
    .option('--json', 'print the permissions as a JSON array')
    .action(async (opts: Json & { client?: string; route?: string }) => {
      const { ops } = await ctx.session()
      // Unknown ids are a 404 (exit 3), not an empty list.
      const client =
        opts.client !== undefined ? await ops.clients.get(await resolveClient(ops, opts.client)) : undefined
      const route = opts.route !== undefined ? await ops.routes.get(await resolveRoute(ops, opts.route)) : undefined
      const permissions = await ops.permissions.list({ client_id: client?.client_id, route_id: route?.route_id })
      if (opts.json) return ctx.out.json(permissions)
      if (route !== undefined) {
        ctx.out.line(`${routeLabel(route)} (${route.service_name}): ${methodsSummary(route.methods)}`)
        if (permissions.length === 0) return ctx.out.line('no client may call it')
        const clients = new Map((await ops.clients.list()).map((c) => [c.client_id, c]))
        ctx.out.table(
          ['CLIENT', 'STATUS', 'ALLOWED', 'CLIENT ID', 'PERMISSION ID'],
          permissions.map((p) => {
            const c = clients.get(p.client_id)
            return [
              p.client_name,
              c ? statusText(c.status, ctx.out.style) : '?',
              methodsText(p.allowed_methods),
              p.client_id,
              p.permission_id,
            ]
          }),
        )
        return
      }
      if (permissions.length === 0) return ctx.out.line('no permissions')
      const byClient = new Map<string, PermissionWireWithVersion[]>()
      for (const p of permissions) byClient.set(p.client_id, [...(byClient.get(p.client_id) ?? []), p])
      for (const [clientId, group] of byClient) {
        ctx.out.line(`${ctx.out.style.bold(group[0]?.client_name ?? '')} ${ctx.out.style.dim(clientId)}`)
        ctx.out.table(
          ['  ROUTE', 'SERVICE', 'ALLOWED', 'PERMISSION ID'],
          group.map((p) => [
            `  ${permissionTarget(p)}`,
            p.route_service_name,
            methodsText(p.allowed_methods),
            p.permission_id,
          ]),
        )
      }
    })

  permission
    .command('revoke')
    .description('revoke a permission, by id or by --client and --route (asks you to type "revoke")')
    .argument('[permission_id]', 'the permission (picked from a list on a terminal)')
    .option('--client <client>', 'with --route: the permission of this client (id or name) on that route')
    .option('--route <route>', 'with --client (id, pattern, domain/pattern or service name)')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print the revoked permission as JSON')
    .action(async (id: string | undefined, opts: Json & { client?: string; route?: string; yes?: boolean }) => {
      const prompter = ctx.prompter(opts)
      const { ops } = await ctx.session()
      const byPair = opts.client !== undefined || opts.route !== undefined
      if (byPair && id !== undefined) throw CliError.usage('give a permission id or --client and --route, not both')
      if (byPair && (opts.client === undefined || opts.route === undefined)) {
        throw CliError.usage('--client and --route go together')
      }
      const pair =
        byPair && opts.client !== undefined && opts.route !== undefined
          ? { client: await resolveClient(ops, opts.client), route: await resolveRoute(ops, opts.route) }
          : undefined
      let target: PermissionWireWithVersion
      if (pair !== undefined) {
        const [found] = await ops.permissions.list({ client_id: pair.client, route_id: pair.route })
        if (found === undefined) throw CliError.notFound('this client has no permission on this route')
        target = found
      } else {
        target = await ops.permissions.get(
          id ?? (await pickPermission(ops, prompter, '<permission_id> (or --client and --route)')),
        )
      }
      if (!opts.json) {
        ctx.out.line(`Permission ${target.permission_id}`)
        ctx.out.line(`  client: ${target.client_name} (${target.client_id})`)
        ctx.out.line(`  route:  ${permissionTarget(target)} (${target.route_service_name}, ${target.route_id})`)
        ctx.out.line(`  allows: ${methodsText(target.allowed_methods)}`)
      }
      await guardDestructive(
        prompter,
        { yes: opts.yes === true, action: `revoke permission ${target.permission_id}` },
        'revoke',
        'Revoke this permission?',
      )
      const revoked =
        pair !== undefined
          ? await ops.permissions.revokePair(ctx.actor, pair.client, pair.route)
          : await ops.permissions.revoke(ctx.actor, target.permission_id, { expectedVersion: target.version })
      if (opts.json) return ctx.out.json(revoked)
      ctx.out.success(`revoked: ${revoked.client_name} may no longer call ${permissionTarget(revoked)}`)
    })
}
