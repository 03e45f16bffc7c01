import type { PermissionWireWithVersion } from '@gatekeeper/db/admin'
import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { CliError } from '../../errors'
import { resolveClient, resolveRoute } from '../../lookups'
import { pickPermission } from '../../pickers'
import { methodsText, permissionTarget } from '../../render'
import { removeConfirmed } from '../removal'
import type { Json } from './shared'

export function registerPermissionRevoke(permission: Command, ctx: CliContext): void {
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
      await removeConfirmed(
        ctx,
        prompter,
        opts,
        { action: `revoke permission ${target.permission_id}`, word: 'revoke', question: 'Revoke this permission?' },
        () =>
          pair !== undefined
            ? ops.permissions.revokePair(ctx.actor, pair.client, pair.route)
            : ops.permissions.revoke(ctx.actor, target.permission_id, { expectedVersion: target.version }),
        (revoked) => `revoked: ${revoked.client_name} may no longer call ${permissionTarget(revoked)}`,
      )
    })
}
