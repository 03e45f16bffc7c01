import { findRateLimit } from '../../lookups'
import { pickClient } from '../../pickers'
import { credentialsText, limitText, methodsText, permissionTarget } from '../../render'
import { type Removal, removeConfirmed } from '../removal'

export const clientDelete: Removal = {
  command: ['delete', 'delete a client with its credentials, permissions and rate limit (asks you to type "delete")'],
  argument: ['[client]', 'the client: id or name (picked from a list on a terminal)'],
  json: 'print {client, cascaded} as JSON',
  run: async (id, opts, { ctx, prompter, ops }) => {
    const clientId = await pickClient(ops, prompter, id, '<client_id>')
    const current = await ops.clients.get(clientId)
    const permissions = await ops.permissions.list({ client_id: clientId })
    const limit = await findRateLimit(ops, clientId)
    const cascade = await ops.clients.cascadePreview(clientId)
    if (!opts.json) {
      ctx.out.line(
        `Client ${current.client_name} (${current.client_id}, ${current.status}, ${credentialsText(current)})`,
      )
      ctx.out.line(`Its ${cascade.credentials} credential${cascade.credentials === 1 ? '' : 's'} stop working at once.`)
      ctx.out.line(
        permissions.length === 0
          ? 'It has no permissions.'
          : `Deleting it also revokes ${permissions.length} permission${permissions.length === 1 ? '' : 's'}:`,
      )
      for (const p of permissions) ctx.out.line(`  - ${permissionTarget(p)} (${methodsText(p.allowed_methods)})`)
      if (limit) ctx.out.line(`and its rate limit (${limitText(limit)}).`)
    }
    await removeConfirmed(
      ctx,
      prompter,
      opts,
      { action: `delete client ${clientId}`, word: 'delete', question: 'Delete this client?' },
      () => ops.clients.remove(ctx.actor, clientId, { expectedVersion: current.version }),
      (result) =>
        `deleted client ${result.client.client_name}: ${result.cascaded.credentials} credential(s), ${result.cascaded.permissions} permission(s), ${result.cascaded.rate_limit} rate limit(s)`,
    )
  },
}
