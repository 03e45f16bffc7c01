import type { Command } from 'commander'
import type { CliContext } from '../../context'
import type { Json } from './shared'

export function registerRateLimitList(rateLimit: Command, ctx: CliContext): void {
  rateLimit
    .command('list')
    .description('list clients with rate limits')
    .option('--json', 'print the rate limits as a JSON array')
    .action(async (opts: Json) => {
      const { ops } = await ctx.session()
      ctx.out.list(await ops.rateLimits.list(), opts, {
        empty: 'no rate limits (clients are unlimited)',
        headers: ['CLIENT', 'PER MINUTE', 'PER DAY', 'CLIENT ID'],
        row: (l) => [
          l.client_name,
          l.requests_per_minute === null ? '-' : String(l.requests_per_minute),
          l.requests_per_day === null ? '-' : String(l.requests_per_day),
          l.client_id,
        ],
      })
    })
}
