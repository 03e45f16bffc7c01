import type { CommandGroup } from '../group'
import { registerClientAllowIp } from './allow-ip'
import { registerClientCreate } from './create'
import { clientDelete } from './delete'
import { registerClientExpire } from './expire'
import { registerClientList } from './list'
import { registerClientRotate } from './rotate'
import { registerClientShow } from './show'
import { registerClientStatusCommands } from './status'
import { registerClientUpdate } from './update'
import { registerClientUsage } from './usage'

export const clientGroup: CommandGroup = {
  name: 'client',
  description: 'API consumers, their credentials and status',
  subcommands: [
    registerClientCreate,
    registerClientList,
    registerClientShow,
    registerClientUpdate,
    registerClientStatusCommands,
    registerClientExpire,
    registerClientAllowIp,
    registerClientUsage,
    registerClientRotate,
    clientDelete,
  ],
}
