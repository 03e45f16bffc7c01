import type { CommandGroup } from '../group'
import { registerPermissionGrant } from './grant'
import { registerPermissionList } from './list'
import { registerPermissionRevoke } from './revoke'

export const permissionGroup: CommandGroup = {
  name: 'permission',
  description: 'which client may call which route, with which methods',
  subcommands: [registerPermissionGrant, registerPermissionList, registerPermissionRevoke],
}
