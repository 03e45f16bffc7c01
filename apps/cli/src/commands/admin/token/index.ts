import type { CommandGroup } from '../../group'
import { registerAdminTokenCreate } from './create'
import { registerAdminTokenList } from './list'
import { adminTokenRevoke } from './revoke'

export const adminTokenGroup: CommandGroup = {
  name: 'token',
  description: 'admin API tokens: bearer tokens for /api/admin/* (automation, CI), with or without Aegis',
  subcommands: [registerAdminTokenCreate, registerAdminTokenList, adminTokenRevoke],
}
