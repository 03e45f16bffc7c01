import { pickRoute } from '../../pickers'
import { methodsText, routeLabel } from '../../render'
import { type Removal, removeConfirmed } from '../removal'

export const routeDelete: Removal = {
  command: ['delete', 'delete a route and every permission on it (asks you to type "delete")'],
  argument: ['[route]', 'the route: id, pattern, domain/pattern or service name (picked from a list on a terminal)'],
  json: 'print {route, cascaded} as JSON',
  run: async (id, opts, { ctx, prompter, ops }) => {
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
    await removeConfirmed(
      ctx,
      prompter,
      opts,
      { action: `delete route ${routeId}`, word: 'delete', question: 'Delete this route?' },
      () => ops.routes.remove(ctx.actor, routeId, { expectedVersion: found.version }),
      (result) => `deleted route ${routeLabel(result.route)} and ${result.cascaded.permissions} permission(s)`,
    )
  },
}
