import type { PermissionWireWithVersion } from '@gatekeeper/db/admin'
import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { resolveClient, resolveRoute } from '../../lookups'
import { methodsSummary, methodsText, permissionTarget, routeLabel, statusText } from '../../render'
import type { Json } from './shared'

export function registerPermissionList(permission: Command, ctx: CliContext): void {
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
}
