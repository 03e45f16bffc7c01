import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { formatTime } from '../../output'
import { credentialsText, statusText } from '../../render'
import { type Json, parseStatus } from './shared'

export function registerClientList(client: Command, ctx: CliContext): void {
  client
    .command('list')
    .description('list clients (API keys masked)')
    .option('--status <status>', 'only clients with this status')
    .option(
      '--unused-for <span>',
      'only clients none of whose credentials was accepted for this long (90d, 12h); a client never used counts once it is that old',
    )
    .option('--json', 'print the clients as a JSON array')
    .action(async (opts: Json & { status?: string; unusedFor?: string }) => {
      const status = opts.status === undefined ? undefined : parseStatus(opts.status)
      const { ops } = await ctx.session()
      const query = opts.unusedFor === undefined ? {} : { unused_for: opts.unusedFor.trim() }
      const clients = (await ops.clients.list(query)).filter((c) => status === undefined || c.status === status)
      ctx.out.list(clients, opts, {
        empty: 'no clients',
        headers: ['CLIENT ID', 'NAME', 'STATUS', 'CREDENTIALS', 'LAST USED'],
        row: (c) => [
          c.client_id,
          c.client_name,
          statusText(c.status, ctx.out.style),
          credentialsText(c),
          c.last_used_at == null ? 'never' : formatTime(c.last_used_at),
        ],
      })
    })
}
