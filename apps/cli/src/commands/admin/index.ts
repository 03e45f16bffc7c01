import type { CommandGroup } from '../group'
import { registerAdminAdd } from './add'
import { registerAdminList } from './list'
import { adminRemove } from './remove'
import { registerAdminSignInLink } from './sign-in-link'
import { adminTokenGroup } from './token'

export const adminGroup: CommandGroup = {
  name: 'admin',
  description: 'who may use the console and the admin API: Aegis users, admin API tokens, sign-in links',
  subcommands: [registerAdminAdd, registerAdminList, adminRemove, adminTokenGroup, registerAdminSignInLink],
}
