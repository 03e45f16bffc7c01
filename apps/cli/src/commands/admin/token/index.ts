import type { Command } from 'commander'
import type { CliContext } from '../../../context'
import { registerRemoval } from '../../removal'
import { registerAdminTokenCreate } from './create'
import { registerAdminTokenList } from './list'
import { adminTokenRevoke } from './revoke'

/** `gatekeeper admin token …`: one module per subcommand; the order here is the order `--help` lists them in. */
export function registerAdminToken(admin: Command, ctx: CliContext): void {
  const token = admin
    .command('token')
    .description('admin API tokens: bearer tokens for /api/admin/* (automation, CI), with or without Aegis')
  registerAdminTokenCreate(token, ctx)
  registerAdminTokenList(token, ctx)
  registerRemoval(token, ctx, adminTokenRevoke)
}
