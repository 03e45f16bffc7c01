import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { parseExpiry } from '../../duration'
import { CliError } from '../../errors'
import { formatTime } from '../../output'
import { pickClient } from '../../pickers'
import { EXPIRES_HELP, type Json, nowSeconds } from './shared'

export function registerClientExpire(client: Command, ctx: CliContext): void {
  client
    .command('expire')
    .description('set or clear when a client, or its current API key or shared secret, stops working')
    .argument('[client]', 'the client: id or name (picked from a list on a terminal)')
    .option('--at <when>', `the moment: ${EXPIRES_HELP}`)
    .option('--never', 'clear the expiry')
    .option('--credential <kind>', 'api_key or shared_secret: the current credential of that kind, not the client')
    .option('--json', 'print the updated client as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  gatekeeper client expire contractor --at 2026-12-11T18:00:00Z\n' +
        '  gatekeeper client expire contractor --credential api_key --at 7d\n' +
        '  gatekeeper client expire contractor --never',
    )
    .action(async (id: string | undefined, opts: Json & { at?: string; never?: boolean; credential?: string }) => {
      if ((opts.at === undefined) === (opts.never !== true))
        throw CliError.usage('give exactly one of --at <when> or --never')
      const field =
        opts.credential === undefined
          ? 'expires_at'
          : opts.credential === 'api_key' || opts.credential === 'shared_secret'
            ? `${opts.credential}_expires_at`
            : undefined
      if (field === undefined)
        throw CliError.usage(`--credential: "${opts.credential}" is not api_key or shared_secret`)
      const at = opts.at === undefined ? null : parseExpiry(opts.at, '--at', nowSeconds())
      const { ops } = await ctx.session()
      const clientId = await pickClient(ops, ctx.prompter(opts), id, '<client_id>')
      const updated = await ops.clients.update(ctx.actor, clientId, { [field]: at })
      if (opts.json) return ctx.out.json(updated)
      const what = opts.credential === undefined ? 'client' : `current ${opts.credential} of the client`
      ctx.out.success(
        at === null
          ? `the ${what} ${updated.client_name} no longer expires`
          : at <= nowSeconds()
            ? // A past moment is accepted (stop it now, on the record), but must not read like a future one.
              `the ${what} ${updated.client_name} expired at ${formatTime(at)}, already past: authz refuses it from now on`
            : `the ${what} ${updated.client_name} expires at ${formatTime(at)}`,
      )
    })
}
