import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { registerRemoval } from '../removal'
import { registerRouteCreate } from './create'
import { routeDelete } from './delete'
import { registerRouteList } from './list'
import { registerRouteShow } from './show'
import { registerRouteUpdate } from './update'

/** `gatekeeper route …`: one module per subcommand; the order here is the order `--help` lists them in. */
export function registerRoute(program: Command, ctx: CliContext): void {
  const route = program.command('route').description('protected endpoints and the authentication each method requires')
  registerRouteCreate(route, ctx)
  registerRouteList(route, ctx)
  registerRouteShow(route, ctx)
  registerRouteUpdate(route, ctx)
  registerRemoval(route, ctx, routeDelete)
}
