import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { registerRemoval } from '../removal'
import { registerAdminAdd } from './add'
import { registerAdminList } from './list'
import { adminRemove } from './remove'
import { registerAdminSignInLink } from './sign-in-link'
import { registerAdminToken } from './token'

/** `gatekeeper admin …`: one module per subcommand; the order here is the order `--help` lists them in. */
export function registerAdmin(program: Command, ctx: CliContext): void {
  const admin = program
    .command('admin')
    .description('who may use the console and the admin API: Aegis users, admin API tokens, sign-in links')
  registerAdminAdd(admin, ctx)
  registerAdminList(admin, ctx)
  registerRemoval(admin, ctx, adminRemove)
  registerAdminToken(admin, ctx)
  registerAdminSignInLink(admin, ctx)
}
