import { CliError } from '../../errors'
import { pickClient } from '../../pickers'
import { limitText } from '../../render'
import type { Removal } from '../removal'

export const rateLimitClear: Removal = {
  command: ['clear', "remove a client's limits (it becomes unlimited)"],
  argument: ['[client]', 'the client: id or name (picked from a list on a terminal)'],
  json: 'print the removed rate limit as JSON',
  run: async (id, opts, { ctx, prompter, ops }) => {
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
  },
}
