import type { CommandGroup } from '../group'
import { registerRouteCreate } from './create'
import { routeDelete } from './delete'
import { registerRouteList } from './list'
import { registerRouteShow } from './show'
import { registerRouteUpdate } from './update'

export const routeGroup: CommandGroup = {
  name: 'route',
  description: 'protected endpoints and the authentication each method requires',
  subcommands: [registerRouteCreate, registerRouteList, registerRouteShow, registerRouteUpdate, routeDelete],
}
