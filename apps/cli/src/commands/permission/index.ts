import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { registerPermissionGrant } from './grant'
import { registerPermissionList } from './list'
import { registerPermissionRevoke } from './revoke'

/** `gatekeeper permission …`: one module per subcommand; the order here is the order `--help` lists them in. */
export function registerPermission(program: Command, ctx: CliContext): void {
  const permission = program.command('permission').description('which client may call which route, with which methods')
  registerPermissionGrant(permission, ctx)
  registerPermissionList(permission, ctx)
  registerPermissionRevoke(permission, ctx)
}
