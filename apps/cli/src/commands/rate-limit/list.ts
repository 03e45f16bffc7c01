import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { registerListCommand } from '../list-command'

export function registerRateLimitList(rateLimit: Command, ctx: CliContext): void {
  registerListCommand(rateLimit, ctx, {
    description: 'list clients with rate limits',
    json: 'print the rate limits as a JSON array',
    load: (ops) => ops.rateLimits.list(),
    view: () => ({
      empty: 'no rate limits (clients are unlimited)',
      headers: ['CLIENT', 'PER MINUTE', 'PER DAY', 'CLIENT ID'],
      row: (l) => [
        l.client_name,
        l.requests_per_minute === null ? '-' : String(l.requests_per_minute),
        l.requests_per_day === null ? '-' : String(l.requests_per_day),
        l.client_id,
      ],
    }),
  })
}
