import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { CliError } from '../../errors'
import { pickClient } from '../../pickers'
import { limitText } from '../../render'
import type { Json } from './shared'

export function registerRateLimitClear(rateLimit: Command, ctx: CliContext): void {
  rateLimit
    .command('clear')
    .description("remove a client's limits (it becomes unlimited)")
    .argument('[client]', 'the client: id or name (picked from a list on a terminal)')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print the removed rate limit as JSON')
    .action(async (id: string | undefined, opts: Json & { yes?: boolean }) => {
      const prompter = ctx.prompter(opts)
      const { ops } = await ctx.session()
      const clientId = await pickClient(ops, prompter, id, '<client_id>')
      const current = await ops.rateLimits.get(clientId)
      if (!opts.json)
        ctx.out.line(`${current.client_name} is limited to ${limitText(current)}; clearing makes it unlimited.`)
      if (!opts.yes) {
        if (!prompter.interactive)
          throw CliError.refused(`refusing to clear the rate limit of ${clientId} without confirmation: pass --yes`)
        await prompter.confirm('Clear this rate limit?')
      }
      const cleared = await ops.rateLimits.clear(ctx.actor, clientId)
      if (opts.json) return ctx.out.json(cleared)
      ctx.out.success(`${cleared.client_name} is no longer rate limited`)
    })
}
